"""Permanent privacy masks painted into decoded I420 pictures before they leave the media worker (issue 12 section 3).

The rule is the host's (electron/host/masks/mask-raster.ts; tests/unit/mask-raster.test.ts checks both agree): luma
pixel (px, py) of a W x H picture is covered when its centre ((px + 0.5) / W, (py + 0.5) / H) lies inside a polygon
(even-odd); a chroma sample is covered when any of the 2 x 2 luma pixels it colours is. Covered pixels become black
(Y 16, U and V 128). The covered runs are worked out once per picture size; per frame the painter only copies the
picture and fills those runs (slice assignments), which is what the mask costs (docs/masks.md, "Cost").
"""

FILL_Y, FILL_UV = 16, 128


def validate_polygons(raw):
    """A list of polygons (each a list of {x, y} in 0..1, at least 3 points), or ValueError."""
    if not isinstance(raw, list) or len(raw) > 64:
        raise ValueError("masks must be a list of at most 64 polygons")
    out = []
    for poly in raw:
        if not isinstance(poly, list) or not 3 <= len(poly) <= 64:
            raise ValueError("a mask polygon needs 3 to 64 points")
        pts = []
        for p in poly:
            x, y = (p.get("x"), p.get("y")) if isinstance(p, dict) else (None, None)
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in (x, y)):
                raise ValueError("a mask point needs x and y between 0 and 1")
            pts.append((float(x), float(y)))
        out.append(pts)
    return out


def luma_spans(polygons, width, height):
    """Covered half-open ranges [x0, x1) of every luma row."""
    rows = [[] for _ in range(height)]
    for poly in polygons:
        n = len(poly)
        for py in range(height):
            v = (py + 0.5) / height
            xs = []
            for i in range(n):
                ax, ay = poly[i]
                bx, by = poly[(i + 1) % n]
                if (ay <= v < by) or (by <= v < ay):
                    xs.append(ax + (v - ay) * (bx - ax) / (by - ay))
            xs.sort()
            for k in range(0, len(xs) - 1, 2):
                x0 = max(0, _ceil(xs[k] * width - 0.5))
                x1 = min(width, _ceil(xs[k + 1] * width - 0.5))
                if x1 > x0:
                    rows[py].append((x0, x1))
    return rows


def chroma_spans(luma, width, height):
    cw = (width + 1) >> 1
    rows = [[] for _ in range((height + 1) >> 1)]
    for py, spans in enumerate(luma):
        for x0, x1 in spans:
            rows[py >> 1].append((x0 >> 1, min(cw, (x1 + 1) >> 1)))
    return rows


def _ceil(v):
    i = int(v)
    return i + 1 if v > i else i


class MaskPainter:
    """Paints a fixed set of polygons into tightly packed I420 pictures; runs are cached per picture size."""

    def __init__(self, polygons):
        self.polygons = polygons
        self.size = None
        self.runs = []  # (offset, fill bytes) per covered run, merged per row

    def _prepare(self, w, h):
        y = luma_spans(self.polygons, w, h)
        c = chroma_spans(y, w, h)
        cw, ch = (w + 1) >> 1, (h + 1) >> 1
        u_off, v_off = w * h, w * h + cw * ch
        runs = []
        for row, spans in enumerate(y):
            for a, b in _merge(spans):
                runs.append((row * w + a, bytes([FILL_Y]) * (b - a)))
        for row, spans in enumerate(c):
            for a, b in _merge(spans):
                fill = bytes([FILL_UV]) * (b - a)
                runs.append((u_off + row * cw + a, fill))
                runs.append((v_off + row * cw + a, fill))
        self.runs = runs
        self.size = (w, h)

    def paint(self, data, w, h):
        """A masked copy of the picture (bytes-like in, bytearray out)."""
        if self.size != (w, h):
            self._prepare(w, h)
        out = bytearray(data)
        for off, fill in self.runs:
            out[off:off + len(fill)] = fill
        return out


def _merge(spans):
    out = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
