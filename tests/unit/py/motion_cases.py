"""Cases for native/worker/motion.py, run by tests/unit/motion-detector.test.ts with /usr/bin/python3.
Prints one JSON object: {case: result}. Pictures are synthetic 64x36 luma: a flat grey field with a
bright square at a known place (and fixed pseudo-random noise below the thresholds)."""
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'native', 'worker'))
from motion import MotionDetector, mask_grid, thresholds, validate_settings  # noqa: E402

W, H = 64, 36
rng = random.Random(7)


def picture(square=None, size=6, level=200, noise=3):
    px = bytearray(max(0, min(255, 60 + rng.randint(-noise, noise))) for _ in range(W * H))
    if square:
        sx, sy = square
        for y in range(sy, min(H, sy + size)):
            for x in range(sx, min(W, sx + size)):
                px[y * W + x] = level
    return bytes(px)


def run(det, frames, dt=200):
    out = []
    for k, f in enumerate(frames):
        ev = det.feed(f, 1_000_000 + k * dt)
        if ev:
            out.append(ev)
    return out


def error(fn):
    try:
        fn()
        return None
    except ValueError as e:
        return str(e)


res = {}
# a square moving left to right: motion, with a box around where it is now
det = MotionDetector(W, H, 50, [])
evs = run(det, [picture()] * 3 + [picture((10 + 4 * k, 15)) for k in range(8)])
res['moving'] = {'events': len(evs), 'first': evs[0] if evs else None, 'tracks': sorted({e['track'] for e in evs})}
# a still scene with noise: nothing
res['still'] = len(run(MotionDetector(W, H, 100, []), [picture() for _ in range(20)]))
# the same motion under a mask covering the whole picture: nothing
full = [[{'x': 0, 'y': 0}, {'x': 1, 'y': 0}, {'x': 1, 'y': 1}, {'x': 0, 'y': 1}]]
res['masked'] = len(run(MotionDetector(W, H, 100, validate_settings({'sensitivity': 100, 'masks': full})[1]),
                        [picture()] * 3 + [picture((10 + 4 * k, 15)) for k in range(8)]))
# a mask over the left half: a square moving there is ignored, the same square on the right is seen
left = [[{'x': 0, 'y': 0}, {'x': 0.5, 'y': 0}, {'x': 0.5, 'y': 1}, {'x': 0, 'y': 1}]]
ml = validate_settings({'masks': left})[1]
res['leftMaskLeft'] = len(run(MotionDetector(W, H, 50, ml), [picture()] * 3 + [picture((2 + 3 * k, 15)) for k in range(6)]))
res['leftMaskRight'] = len(run(MotionDetector(W, H, 50, ml), [picture()] * 3 + [picture((36 + 3 * k, 15)) for k in range(6)]))
grid = mask_grid(ml, W, H)
res['maskGrid'] = {'excluded': sum(grid), 'corner': [grid[0], grid[W - 1]]}
# a faint change: seen at high sensitivity, not at low
faint = [picture()] * 3 + [picture((20 + 3 * k, 10), level=85) for k in range(6)]
res['faintHigh'] = len(run(MotionDetector(W, H, 90, []), faint))
res['faintLow'] = len(run(MotionDetector(W, H, 10, []), faint))
res['thresholds'] = [thresholds(100), thresholds(50), thresholds(1)]
# bad settings: clear reasons, never a crash
res['errors'] = {
    'sensitivityHigh': error(lambda: validate_settings({'sensitivity': 101})),
    'sensitivityText': error(lambda: validate_settings({'sensitivity': 'high'})),
    'twoPoints': error(lambda: validate_settings({'masks': [[{'x': 0, 'y': 0}, {'x': 1, 'y': 1}]]})),
    'outside': error(lambda: validate_settings({'masks': [[{'x': 0, 'y': 0}, {'x': 1.5, 'y': 0}, {'x': 1, 'y': 1}]]})),
    'flat': error(lambda: validate_settings({'masks': [[{'x': 0, 'y': 0}, {'x': 0.5, 'y': 0.5}, {'x': 1, 'y': 1}]]})),
    'shortPicture': error(lambda: MotionDetector(W, H).feed(b'\x00' * 10, 0)),
    'ok': error(lambda: validate_settings({'sensitivity': 50, 'masks': left})),
}
print(json.dumps(res))
