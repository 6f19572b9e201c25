/**
 * The media worker's motion detector (native/worker/motion.py), run with Debian's Python on synthetic 64x36
 * pictures (tests/unit/py/motion_cases.py): a moving square, a still noisy scene, masks, sensitivity, bad settings.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

type DetectorBox = { x: number; y: number; w: number; h: number; label: string };
type Ev = { captureTime: number; track: string; area: number; confidence: number; boxes: DetectorBox[] };
interface Cases {
  moving: { events: number; first: Ev | null; tracks: string[] };
  still: number; masked: number; leftMaskLeft: number; leftMaskRight: number;
  maskGrid: { excluded: number; corner: number[] };
  faintHigh: number; faintLow: number;
  thresholds: [number, number][];
  errors: Record<string, string | null>;
}

let r: Cases;
beforeAll(() => {
  r = JSON.parse(execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'py', 'motion_cases.py')], { encoding: 'utf8' })) as Cases;
});

describe('motion detector', () => {
  it('reports a moving square with a normalised box where the square is, one track per episode', () => {
    expect(r.moving.events).toBeGreaterThanOrEqual(1);
    expect(r.moving.tracks).toHaveLength(1);
    const b = r.moving.first!.boxes[0]!;
    // the square is 6x6 cells at (10, 15) of 64x36 when motion is first seen
    expect(b.x).toBeCloseTo(10 / 64, 2);
    expect(b.y).toBeCloseTo(15 / 36, 2);
    expect(b.w).toBeCloseTo(6 / 64, 2);
    expect(b.h).toBeCloseTo(6 / 36, 2);
    expect(r.moving.first!.area).toBeGreaterThan(0);
    expect(r.moving.first!.area).toBeLessThan(0.05);
  });

  it('stays quiet on a still, noisy scene even at the highest sensitivity', () => {
    expect(r.still).toBe(0);
  });

  it('ignores motion under masks and still sees it outside them', () => {
    expect(r.masked).toBe(0);
    expect(r.leftMaskLeft).toBe(0);
    expect(r.leftMaskRight).toBeGreaterThan(0);
    expect(r.maskGrid).toEqual({ excluded: 64 * 36 / 2, corner: [1, 0] });
  });

  it('sensitivity decides whether a faint change counts', () => {
    expect(r.faintHigh).toBeGreaterThan(0);
    expect(r.faintLow).toBe(0);
    expect(r.thresholds[0]![0]).toBeLessThan(r.thresholds[1]![0]);
    expect(r.thresholds[1]![0]).toBeLessThan(r.thresholds[2]![0]);
  });

  it('rejects bad settings with a reason instead of crashing', () => {
    expect(r.errors).toEqual({
      sensitivityHigh: 'motion sensitivity must be a number from 1 to 100, got 101',
      sensitivityText: "motion sensitivity must be a number from 1 to 100, got 'high'",
      twoPoints: 'motion mask 0: a polygon needs 3 to 64 points',
      outside: 'motion mask 0: points need x and y between 0 and 1',
      flat: 'motion mask 0: the polygon has no area',
      shortPicture: 'picture has 10 bytes, expected 2304',
      ok: null,
    });
  });
});
