"""Motion detection on small luma pictures (64x36 by default), a few a second. Pure Python, no GStreamer:
the media worker feeds it pictures; tests feed it synthetic ones (tests/unit/motion-detector.test.ts).

Model: a running-average background (time constant BACKGROUND_TAU_S, so it adapts the same whether pictures come
at 1 or 5 a second); a picture's pixel moved when it differs from the background by more than the sensitivity's
threshold and lies outside every mask polygon; motion when enough pixels moved. Boxes are the bounding boxes of
the moved pixels' 8-connected groups, merged when they touch, in normalised coordinates (0..1 from top-left).
An episode of motion is one track ("motion-<start ms>"); within it an event goes out at most every
`min_interval_ms`; it ends after `quiet_ms` without motion.
"""
import math

BACKGROUND_TAU_S = 4.0
MAX_BOXES = 16
MAX_MASKS = 16
MAX_POINTS = 64


def validate_settings(raw):
    """{"sensitivity": 1..100, "masks": [[{"x","y"},...],...]} -> (sensitivity, masks) or ValueError with the reason."""
    if not isinstance(raw, dict):
        raise ValueError("motion settings must be an object")
    s = raw.get("sensitivity", 50)
    if isinstance(s, bool) or not isinstance(s, (int, float)) or not (1 <= s <= 100):
        raise ValueError(f"motion sensitivity must be a number from 1 to 100, got {s!r}"[:200])
    masks = raw.get("masks", [])
    if not isinstance(masks, list) or len(masks) > MAX_MASKS:
        raise ValueError(f"motion masks must be a list of at most {MAX_MASKS} polygons")
    out = []
    for i, poly in enumerate(masks):
        if not isinstance(poly, list) or not (3 <= len(poly) <= MAX_POINTS):
            raise ValueError(f"motion mask {i}: a polygon needs 3 to {MAX_POINTS} points")
        pts = []
        for p in poly:
            x, y = (p.get("x"), p.get("y")) if isinstance(p, dict) else (None, None)
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in (x, y)):
                raise ValueError(f"motion mask {i}: points need x and y between 0 and 1")
            pts.append((float(x), float(y)))
        if abs(polygon_area(pts)) < 1e-6:
            raise ValueError(f"motion mask {i}: the polygon has no area")
        out.append(pts)
    return float(s), out


def polygon_area(pts):
    return 0.5 * sum(pts[i][0] * pts[i - 1][1] - pts[i - 1][0] * pts[i][1] for i in range(len(pts)))


def inside(px, py, pts):
    """Even-odd rule (ray casting)."""
    hit = False
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > py) != (yj > py) and px < (xj - xi) * (py - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def mask_grid(masks, width, height):
    """bytearray of width*height: 1 where the pixel's centre lies inside a mask polygon (excluded)."""
    grid = bytearray(width * height)
    for y in range(height):
        cy = (y + 0.5) / height
        for x in range(width):
            cx = (x + 0.5) / width
            if any(inside(cx, cy, poly) for poly in masks):
                grid[y * width + x] = 1
    return grid


def thresholds(sensitivity):
    """(luma difference that counts as moved, share of the picture that must move): sensitivity 100 -> (6, 0.0005),
    50 -> (23, 0.0055), 1 -> (40, 0.0104)."""
    k = (100.0 - sensitivity) / 99.0
    return 6 + round(34 * k), 0.0005 + 0.0099 * k


class MotionDetector:
    def __init__(self, width, height, sensitivity=50, masks=(), min_interval_ms=1000, quiet_ms=3000):
        self.width, self.height = width, height
        self.min_interval_ms, self.quiet_ms = min_interval_ms, quiet_ms
        self.background = None
        self.last_t = None
        self.episode = None  # (track, last motion ms)
        self.last_emit = -1e18
        self.configure(sensitivity, masks)

    def configure(self, sensitivity, masks):
        self.sensitivity = sensitivity
        self.diff, self.min_share = thresholds(sensitivity)
        self.mask = mask_grid(masks, self.width, self.height)
        self.open_pixels = self.width * self.height - sum(self.mask)

    def feed(self, luma, t_ms):
        """One picture (row-major luma, width*height bytes) captured at t_ms -> an event dict or None."""
        n = self.width * self.height
        if len(luma) < n:
            raise ValueError(f"picture has {len(luma)} bytes, expected {n}")
        bg = self.background
        if bg is None or self.last_t is None or t_ms - self.last_t > 30_000 or t_ms < self.last_t:
            self.background = [float(v) for v in luma[:n]]  # first picture, or after a gap: learn, do not judge
            self.last_t = t_ms
            return None
        a = 1.0 - math.exp(-max(0.0, t_ms - self.last_t) / 1000.0 / BACKGROUND_TAU_S)
        self.last_t = t_ms
        diff, mask = self.diff, self.mask
        moved = bytearray(n)
        count = 0
        for i in range(n):
            v = luma[i]
            b = bg[i]
            if not mask[i] and abs(v - b) > diff:
                moved[i] = 1
                count += 1
            bg[i] = b + a * (v - b)
        if self.open_pixels == 0 or count < max(1, self.min_share * n):
            if self.episode and t_ms - self.episode[1] > self.quiet_ms:
                self.episode = None
            return None
        boxes = self.boxes(moved)
        if not boxes:
            return None
        if self.episode is None:
            self.episode = (f"motion-{int(t_ms)}", t_ms)
            self.last_emit = -1e18
        else:
            self.episode = (self.episode[0], t_ms)
        if t_ms - self.last_emit < self.min_interval_ms:
            return None
        self.last_emit = t_ms
        min_pixels = max(1.0, self.min_share * n)
        return {"captureTime": int(t_ms), "track": self.episode[0], "area": round(count / n, 4),
                "confidence": round(min(1.0, 0.5 + 0.5 * count / (4 * min_pixels)), 2), "boxes": boxes}

    def boxes(self, moved):
        w, h = self.width, self.height
        seen = bytearray(len(moved))
        found = []
        small = 1 if self.sensitivity >= 80 else 2  # a lone pixel is noise unless the operator asked for everything
        for start in range(len(moved)):
            if not moved[start] or seen[start]:
                continue
            stack = [start]
            seen[start] = 1
            x0 = x1 = start % w
            y0 = y1 = start // w
            size = 0
            while stack:
                i = stack.pop()
                size += 1
                x, y = i % w, i // w
                x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
                for dy in (-1, 0, 1):
                    yy = y + dy
                    if yy < 0 or yy >= h:
                        continue
                    for dx in (-1, 0, 1):
                        xx = x + dx
                        if 0 <= xx < w:
                            j = yy * w + xx
                            if moved[j] and not seen[j]:
                                seen[j] = 1
                                stack.append(j)
            if size >= small:
                found.append([x0, y0, x1, y1])
        found = merge_touching(found)
        found.sort(key=lambda b: (b[2] - b[0] + 1) * (b[3] - b[1] + 1), reverse=True)
        return [{"x": round(b[0] / w, 4), "y": round(b[1] / h, 4), "w": round((b[2] - b[0] + 1) / w, 4),
                 "h": round((b[3] - b[1] + 1) / h, 4), "label": "motion"} for b in found[:MAX_BOXES]]


def merge_touching(boxes):
    """Merges boxes (x0, y0, x1, y1 in cells, inclusive) that overlap or are at most one cell apart."""
    boxes = [list(b) for b in boxes]
    merged = True
    while merged:
        merged = False
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                a, b = boxes[i], boxes[j]
                if a[0] <= b[2] + 2 and b[0] <= a[2] + 2 and a[1] <= b[3] + 2 and b[1] <= a[3] + 2:
                    boxes[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del boxes[j]
                    merged = True
                    break
            if merged:
                break
    return boxes
