/** The overlay-sync measurement's arithmetic (tests/support/overlay-sync.ts): pixel distance -> frames -> ms. */
import { describe, expect, it } from 'vitest';
import { syncErrors } from '../support/overlay-sync.js';

// At a 1280-px-wide picture the highway's red car moves 444 / 25 = 17.76 px per frame.
const PX = 17.76;

describe('syncErrors', () => {
  it('converts the box-to-car distance into frames of 40 ms, signed mean negative when the box trails', () => {
    const r = syncErrors([
      { carX: 600, boxX: 600, fitW: 1280 },
      { carX: 600, boxX: 600 - PX, fitW: 1280 }, // one frame behind
      { carX: 600, boxX: 600 - 2 * PX, fitW: 1280 }, // two frames behind
      { carX: 1260, boxX: 1260, fitW: 1280 }, // at the wrap: not used
      { carX: null, boxX: 300, fitW: 1280 }, // no car in the picture: not used
      { carX: 700, boxX: null, fitW: 1280 }, // no box drawn
    ]);
    expect(r.samples).toBe(4);
    expect(r.noBox).toBe(1);
    expect(r.medianMs).toBe(40);
    expect(r.p95Ms).toBe(80);
    expect(r.maxMs).toBe(80);
    expect(r.meanFrames).toBe(-1);
  });

  it('scales the speed with the painted width', () => {
    expect(syncErrors([{ carX: 320, boxX: 320 + PX / 2, fitW: 640 }]).medianMs).toBe(40);
    expect(syncErrors([]).medianMs).toBeNull();
  });
});
