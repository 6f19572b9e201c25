import { describe, expect, it } from 'vitest';
import type { StreamStatus } from '../../electron/contract/schemas.js';
import { makePresetLayout, PRESET_IDS } from '../../electron/contract/layout-presets.js';
import { demandSize, fitRect, tileRects, TILE_GAP, type Rect } from '../../renderer/wall/tile-geometry.js';
import { formatAge, isDimmed, STALE_AFTER_MS, stateText, tileState } from '../../renderer/wall/tile-state.js';
import { isSoftwareRenderer } from '../../renderer/wall/compositor.js';

const status = (state: StreamStatus['state'], message?: string): StreamStatus => ({
  cameraId: 'c1', state, reason: 'auth', ...(message ? { message } : {}), engine: 'gstreamer', profile: 'sub', decision: [], width: 640, height: 360,
  keyframeOnly: false, pinned: false, downgrade: null, generation: 1, lastFrameAt: null, fps: 25, bitrateKbps: 900, latencyMs: null,
  counters: { connects: 1, retries: 0, errors: 0, frames: 0, drops: 0, damaged: 0 }, since: 0,
});

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('tile state', () => {
  const now = 1_000_000;
  it('is live only with a fresh frame and a live (or unknown) host state', () => {
    expect(tileState('c1', status('live'), now - 100, now)).toBe('live');
    expect(tileState('c1', undefined, now - 100, now)).toBe('live');
    expect(tileState('c1', status('live'), now - STALE_AFTER_MS - 1, now)).toBe('stalled');
    expect(tileState('c1', status('reconnecting'), now - 10, now)).toBe('reconnecting');
    expect(tileState('c1', status('error'), now - 10, now)).toBe('error');
    expect(tileState('c1', status('live'), null, now)).toBe('connecting');
    expect(tileState(null, status('live'), now, now)).toBe('empty');
  });

  it('dims every state but live and empty', () => {
    expect(isDimmed('live')).toBe(false);
    expect(isDimmed('empty')).toBe(false);
    for (const s of ['stalled', 'offline', 'error', 'reconnecting', 'connecting', 'idle'] as const) expect(isDimmed(s)).toBe(true);
  });

  it('formats frame age and state text', () => {
    expect(formatAge(now - 120, now)).toBe('<1 s');
    expect(formatAge(now - 960, now)).toBe('<1 s');
    expect(formatAge(now - 3_400, now)).toBe('3 s');
    expect(formatAge(now - 42_000, now)).toBe('42 s');
    expect(formatAge(now - 180_000, now)).toBe('3 min');
    expect(formatAge(null, now)).toBe('no frame');
    expect(stateText('error', status('error', 'wrong credentials'))).toBe('ERROR: wrong credentials');
    expect(stateText('error', status('error'))).toBe('ERROR: auth');
    expect(stateText('stalled', undefined)).toBe('STALLED');
  });
});

describe('tile geometry', () => {
  it('tiles of every preset stay inside the canvas, never overlap, and keep the gap', () => {
    for (const id of PRESET_IDS) {
      const layout = makePresetLayout(id, []);
      const rects = tileRects(layout, 1677, 1045, null) as Rect[];
      expect(rects.every((r) => r !== null)).toBe(true);
      for (const r of rects) {
        expect(r.x).toBeGreaterThanOrEqual(0);
        expect(r.y).toBeGreaterThanOrEqual(0);
        expect(r.x + r.w).toBeLessThanOrEqual(1677);
        expect(r.y + r.h).toBeLessThanOrEqual(1045);
      }
      for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i]!, rects[j]!), `${id} ${i} ${j}`).toBe(false);
    }
    const [a, b] = tileRects(makePresetLayout('2x2', []), 1000, 600, null) as Rect[];
    expect(b!.x - (a!.x + a!.w)).toBe(TILE_GAP);
  });

  it('a big cell spans its grid units', () => {
    const rects = tileRects(makePresetLayout('1+5', []), 900, 900, null) as Rect[];
    expect(rects[0]).toEqual({ x: 1, y: 1, w: 598, h: 598 });
    expect(rects[1]).toEqual({ x: 601, y: 1, w: 298, h: 298 });
  });

  it('a maximised tile takes the whole canvas and hides the others', () => {
    const rects = tileRects(makePresetLayout('3x3', []), 800, 450, 4);
    expect(rects.filter((r) => r !== null)).toHaveLength(1);
    expect(rects[4]).toEqual({ x: 1, y: 1, w: 798, h: 448 });
  });

  it('letterboxes to the picture aspect, centred', () => {
    expect(fitRect({ x: 10, y: 20, w: 400, h: 400 }, 640, 360)).toEqual({ x: 10, y: 107, w: 400, h: 225 });
    expect(fitRect({ x: 0, y: 0, w: 400, h: 100 }, 640, 360)).toEqual({ x: 111, y: 0, w: 178, h: 100 });
    expect(fitRect({ x: 0, y: 0, w: 320, h: 180 }, 0, 0)).toEqual({ x: 0, y: 0, w: 320, h: 180 });
  });

  it('demands even sizes of at least 2 px', () => {
    expect(demandSize({ x: 0, y: 0, w: 419, h: 235 })).toEqual({ width: 418, height: 234 });
    expect(demandSize({ x: 0, y: 0, w: 1, h: 1 })).toEqual({ width: 2, height: 2 });
  });

  it('recognises software GL renderers', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11)')).toBe(false);
  });
});

describe('paint rect', () => {
  it('paints a frame 1:1 and centred when the host delivered the tile size, else letterboxes it', async () => {
    const { paintRect } = await import('../../renderer/wall/tile-geometry.js');
    expect(paintRect({ x: 10, y: 20, w: 434, h: 256 }, 432, 244)).toEqual({ x: 11, y: 26, w: 432, h: 244 });
    const scaled = paintRect({ x: 0, y: 0, w: 868, h: 512 }, 432, 244);
    expect(scaled.w).toBeGreaterThan(800); // a small frame in a big tile is scaled up, not drawn tiny
  });
});

describe('key-frame-only tiles', () => {
  it('allow about one frame a second before turning stale, and still turn stale when frames stop', async () => {
    const { tileState, STALE_AFTER_KEYFRAME_ONLY_MS } = await import('../../renderer/wall/tile-state.js');
    const now = 1_000_000;
    const kf = { ...status('live'), keyframeOnly: true };
    expect(tileState('c1', kf, now - 1800, now)).toBe('live');
    expect(tileState('c1', kf, now - STALE_AFTER_KEYFRAME_ONLY_MS - 1, now)).toBe('stalled');
    expect(tileState('c1', status('live'), now - 1800, now)).toBe('stalled');
  });
});
