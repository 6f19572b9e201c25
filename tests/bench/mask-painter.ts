/**
 * What a permanent privacy mask costs to paint, measured in the media worker's own painter (native/worker/privacy_mask.py):
 * shared by bench:masks (tests/bench/mask-cost.ts) and bench:access (tests/bench/access.ts), so both report one figure.
 * The masks: a window (a quadrilateral) and a slanted eight-point outline, about 27 % of the picture together.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { MaskPoint } from '../../electron/contract/masks-schema.js';
import { ROOT } from '../support/harness.js';

export const MASKS: MaskPoint[][] = [
  [{ x: 0.05, y: 0.1 }, { x: 0.3, y: 0.1 }, { x: 0.3, y: 0.45 }, { x: 0.05, y: 0.45 }],
  [{ x: 0.5, y: 0.3 }, { x: 0.7, y: 0.25 }, { x: 0.9, y: 0.35 }, { x: 0.95, y: 0.6 }, { x: 0.85, y: 0.85 }, { x: 0.65, y: 0.9 }, { x: 0.5, y: 0.75 }, { x: 0.45, y: 0.5 }],
];

/**
 * The painter alone (native/worker/privacy_mask.py), timed in one Python process: a copy of the picture (what a worker
 * without masks does not do) plus filling the covered runs, per picture, against the copy alone. CPU time
 * (time.process_time), so waiting for a core under load does not count.
 */
export function painterCost(): Record<string, { msPerFrame: number; copyOnlyMsPerFrame: number; pctOfCoreAt25fps: number }> {
  const code = `import json, sys, time
sys.path.insert(0, ${JSON.stringify(join(ROOT, 'native', 'worker'))})
from privacy_mask import MaskPainter, validate_polygons
masks = validate_polygons(json.loads(sys.argv[1]))
out = {}
for label, w, h in (("360p", 640, 360), ("720p", 1280, 720)):
    data = bytes(w * h * 3 // 2)
    p = MaskPainter(masks)
    p.paint(data, w, h)
    n = 400
    t = time.process_time()
    for _ in range(n):
        p.paint(data, w, h)
    paint = (time.process_time() - t) / n * 1000
    t = time.process_time()
    for _ in range(n):
        bytearray(data)
    copy = (time.process_time() - t) / n * 1000
    out[label] = {"msPerFrame": round(paint, 4), "copyOnlyMsPerFrame": round(copy, 4), "pctOfCoreAt25fps": round(paint * 25 / 10, 3)}
print(json.dumps(out))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, JSON.stringify(MASKS)], { encoding: 'utf8' })) as never;
}
