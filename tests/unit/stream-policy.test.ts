import { describe, expect, it } from 'vitest';
import { decideStreams, decodeCostPct, deliveryCostPct, fitSize, type StreamFacts, type PolicyInput, type StreamDecision } from '../../electron/host/streams/policy.js';
import type { TileDemand } from '../../electron/contract/schemas.js';
import { DECISION_KEYS, decisionText, type DecisionStep } from '../../electron/contract/stream-choice.js';
import { reportText } from '../../electron/contract/training/report-text.js';

/** A decision's steps in English, as the host's logs and the English console word them. */
const say = (d: { decision: DecisionStep[] } | undefined) => (d ? decisionText(d.decision, reportText('en')) : '');

const cams = (n: number, facts: StreamFacts = { hasSub: true }) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`cam${i}`, facts])) as Record<string, StreamFacts>;
const tiles = (n: number, width: number, height: number): TileDemand[] =>
  Array.from({ length: n }, (_, i) => ({ cameraId: `cam${i}`, width, height }));
const decide = (p: Partial<PolicyInput> & Pick<PolicyInput, 'demands'>) =>
  decideStreams({ cameras: cams(40), previous: {}, now: 0, cores: 2, ...p });

describe('fitSize', () => {
  it('keeps the aspect, width a multiple of 8, height even, never above the stream', () => {
    expect(fitSize({ width: 480, height: 270 }, { width: 640, height: 360 })).toEqual({ width: 480, height: 270 });
    expect(fitSize({ width: 479, height: 400 }, { width: 640, height: 360 })).toEqual({ width: 472, height: 266 });
    expect(fitSize({ width: 3840, height: 2160 }, { width: 1280, height: 720 })).toEqual({ width: 1280, height: 720 });
    expect(fitSize({ width: 300, height: 100 }, { width: 1280, height: 720 })).toEqual({ width: 176, height: 100 });
  });
});

describe('decideStreams', () => {
  it('small tiles get the sub-stream at the tile size', () => {
    const d = decide({ demands: tiles(4, 480, 270) });
    expect(d.cam0).toMatchObject({ profile: 'sub', width: 480, height: 270, keyframeOnly: false, downgrade: null });
    expect(say(d.cam0)).toMatch(/sub-stream/);
  });

  it('the largest tile showing a camera sets its size, one decision per camera', () => {
    const d = decide({ demands: [{ cameraId: 'cam1', width: 320, height: 180 }, { cameraId: 'cam1', width: 1920, height: 1080 }] });
    expect(Object.keys(d)).toEqual(['cam1']);
    expect(d.cam1).toMatchObject({ profile: 'main', width: 1280, height: 720 });
  });

  it('switches to main above 1.25x the sub height and back only when clearly smaller (hysteresis)', () => {
    const at = (h: number, previous: Record<string, StreamDecision> = {}) =>
      decide({ demands: [{ cameraId: 'cam0', width: Math.round((h * 16) / 9), height: h }], previous });
    expect(at(440).cam0?.profile).toBe('sub');
    const up = at(460);
    expect(up.cam0?.profile).toBe('main');
    expect(at(440, up).cam0?.profile).toBe('main'); // inside the band: stays
    expect(at(350, up).cam0?.profile).toBe('sub');
  });

  it('uses probed stream sizes and main when the camera has no sub-stream', () => {
    const d = decideStreams({
      demands: [{ cameraId: 'a', width: 400, height: 300 }, { cameraId: 'b', width: 400, height: 300 }],
      cameras: { a: { hasSub: false, main: { width: 1920, height: 1080 } }, b: { hasSub: true, sub: { width: 704, height: 576 } } },
      previous: {}, now: 0,
    });
    expect(d.a).toMatchObject({ profile: 'main', width: 400, height: 226 });
    expect(say(d.a)).toMatch(/no sub-stream/);
    expect(d.b).toMatchObject({ profile: 'sub', width: 360, height: 294 });
  });

  it('more than 16 cameras on screen forces sub-streams except for pinned ones', () => {
    const demands = tiles(17, 960, 540);
    demands[0] = { ...demands[0]!, pinned: true };
    const d = decide({ demands, budgetPct: 1000 });
    expect(d.cam0?.profile).toBe('main');
    expect(d.cam5).toMatchObject({ profile: 'sub', width: 640, height: 360 });
    expect(d.cam5?.downgrade).toBe('crowdSub');
  });

  it('16 x 720p over the budget degrades visibly: smallest tiles to sub first, pinned untouched', () => {
    const demands = tiles(16, 1280, 720).map((t, i) => (i === 15 ? { ...t, width: 1920, height: 1080 } : t));
    demands[0] = { ...demands[0]!, pinned: true };
    const d = decide({ demands });
    const all = Object.values(d);
    const total = all.reduce((s, x) => s + x.costPct, 0);
    expect(total).toBeLessThanOrEqual(170);
    expect(all.filter((x) => x.downgrade).length).toBeGreaterThan(0);
    expect(d.cam0).toMatchObject({ profile: 'main', downgrade: null, pinned: true });
    expect(d.cam15).toMatchObject({ profile: 'main', downgrade: null }); // largest tile keeps quality
    const downgraded = all.filter((x) => x.downgrade);
    expect(downgraded.every((x) => x.profile === 'sub' && x.downgrade === 'budgetSub')).toBe(true);
  });

  it('falls back to key frames only when sub-streams still exceed the budget', () => {
    const d = decide({ demands: tiles(16, 480, 270), budgetPct: 20 });
    const kf = Object.values(d).filter((x) => x.keyframeOnly);
    expect(kf.length).toBeGreaterThan(0);
    expect(kf[0]?.downgrade).toBe('budgetKeyframes');
    expect(Object.values(d).reduce((s, x) => s + x.costPct, 0)).toBeLessThanOrEqual(40);
  });

  it('supervisor pins count like pinned tiles', () => {
    const d = decide({ demands: tiles(16, 1280, 720), budgetPct: 10, pinned: new Set(['cam3']) });
    expect(d.cam3).toMatchObject({ pinned: true, downgrade: null, keyframeOnly: false, profile: 'main' });
  });

  it('keeps a camera nobody shows for the grace period, then drops it', () => {
    const first = decide({ demands: tiles(2, 480, 270), now: 0 });
    const later = decide({ demands: tiles(1, 480, 270), previous: first, now: 1000, graceMs: 15_000 });
    expect(later.cam1).toMatchObject({ unseenSince: 1000, profile: 'sub' });
    expect(say(later.cam1)).toMatch(/not shown; stops in 15 s/);
    const still = decide({ demands: tiles(1, 480, 270), previous: later, now: 15_999, graceMs: 15_000 });
    expect(still.cam1).toBeDefined();
    const gone = decide({ demands: tiles(1, 480, 270), previous: still, now: 16_000, graceMs: 15_000 });
    expect(gone.cam1).toBeUndefined();
    const back = decide({ demands: tiles(2, 480, 270), previous: still, now: 15_000 });
    expect(back.cam1?.unseenSince).toBeNull();
  });

  it('ignores tiles for cameras it does not know', () => {
    expect(decideStreams({ demands: [{ cameraId: 'ghost', width: 100, height: 100 }], cameras: {}, previous: {}, now: 0 })).toEqual({});
  });

  it('16 main streams at 720p do not fit: delivering big frames costs as much as decoding them', () => {
    const d = decide({ demands: tiles(16, 1280, 720) });
    const mains = Object.values(d).filter((x) => x.profile === 'main').length;
    expect(mains).toBeGreaterThan(0);
    expect(mains).toBeLessThan(8);
    expect(deliveryCostPct({ width: 1280, height: 720 }, false)).toBeGreaterThan(8);
    expect(deliveryCostPct({ width: 480, height: 270 }, true)).toBeLessThan(0.1);
  });

  it('cost model follows the measurements', () => {
    expect(decodeCostPct({ width: 1280, height: 720 }, false)).toBeCloseTo(12, 0);
    expect(decodeCostPct({ width: 640, height: 360 }, false)).toBeCloseTo(4, 0);
    expect(decodeCostPct({ width: 1280, height: 720 }, true)).toBeCloseTo(2, 0);
  });

  it('words every step in English, Russian and Kazakh, with its figures', () => {
    const d = decide({ demands: tiles(2, 1280, 720), budgetPct: 5, cores: 1 });
    expect(d.cam0?.decision.map((x) => x.key)).toEqual(['largerThanSub', 'budgetSub', 'budgetKeyframes']);
    expect(say(d.cam0)).toMatch(/^tile 1280x720 is larger than the sub-stream: main stream; decode budget full \(\d+ % wanted of 5 %\): sub-stream; decode budget full/);
    const ru = decisionText(d.cam0!.decision, reportText('ru'));
    expect(ru).toMatch(/^плитка 1280x720 больше дополнительного потока/);
    expect(ru).toContain('из 5 %');
    for (const lang of ['en', 'ru', 'kk'] as const) {
      const t = reportText(lang);
      for (const key of DECISION_KEYS) expect(t(`streamDecision.${key}`), `${lang} ${key}`).not.toBe(`streamDecision.${key}`);
    }
    expect(decisionText(d.cam0!.decision, reportText('kk'))).not.toBe(say(d.cam0));
  });
});
