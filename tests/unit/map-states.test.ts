/**
 * The map's camera states (renderer/map/map-states.ts): followed per status event, a version that changes only when a
 * camera's map colour changes (the map redraws on it), not on the once-a-second statuses that change nothing it shows.
 */
import { describe, expect, it } from 'vitest';
import { KeyedStore } from '../../renderer/bridge/stores.js';
import { MapStates } from '../../renderer/map/map-states.js';
import type { StreamStatus } from '../../electron/contract/schemas.js';

const status = (cameraId: string, state: StreamStatus['state'], fps = 25): StreamStatus => ({
  cameraId, state, reason: 'none', engine: 'gstreamer', profile: 'sub', decision: [], width: 640, height: 360,
  keyframeOnly: false, pinned: false, downgrade: null, generation: 1, lastFrameAt: null, fps, bitrateKbps: 900, latencyMs: null,
  counters: { connects: 1, retries: 0, errors: 0, frames: 0, drops: 0, damaged: 0 }, since: 0,
});

describe('map camera states', () => {
  it('bumps its version only when a camera changes colour, and says so to its listeners', () => {
    const store = new KeyedStore<StreamStatus>();
    store.set('a', status('a', 'live'));
    store.set('b', status('b', 'idle'));
    const states = new MapStates(store);
    expect(states.get('a')).toBe('live');
    expect(states.get('b')).toBe('idle');
    let heard = 0;
    const off = states.subscribe(() => { heard += 1; });
    const v0 = states.getVersion();
    // the once-a-second status with new figures but the same state: nothing the map shows
    for (let i = 0; i < 5; i++) store.set('a', status('a', 'live', 24 + i));
    store.set('b', status('b', 'idle', 0));
    expect(states.getVersion()).toBe(v0);
    expect(heard).toBe(0);
    // stalled and reconnecting are both "stale": one change, not two
    store.set('a', status('a', 'stalled'));
    store.set('a', status('a', 'reconnecting'));
    expect(states.get('a')).toBe('stale');
    expect(heard).toBe(1);
    const v1 = states.getVersion();
    expect(v1).not.toBe(v0);
    // a new camera that is live, and a camera removed (back to idle)
    store.set('c', status('c', 'live'));
    expect(states.get('c')).toBe('live');
    store.delete('c');
    expect(states.get('c')).toBe('idle');
    expect(heard).toBe(3);
    off();
    // nobody listens: changes are caught up with when the version is read
    const v2 = states.getVersion();
    store.set('b', status('b', 'offline'));
    expect(states.getVersion()).not.toBe(v2);
    expect(states.get('b')).toBe('offline');
    expect(heard).toBe(3);
  });

  it('catches up with changes made while nobody listened when a listener comes back', () => {
    const store = new KeyedStore<StreamStatus>();
    store.set('a', status('a', 'live'));
    const states = new MapStates(store);
    states.subscribe(() => {})();
    store.set('a', status('a', 'error'));
    let heard = 0;
    states.subscribe(() => { heard += 1; });
    expect(states.get('a')).toBe('offline');
    store.set('a', status('a', 'offline')); // still offline on the map
    expect(heard).toBe(0);
    store.set('a', status('a', 'live'));
    expect(heard).toBe(1);
  });
});
