/** Stale spells for the map's health list (issue 10 §5): when a spell starts and ends, durations in a window, restarts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StaleSpellStore, spellChange } from '../../electron/host/streams/stale-spells.js';

const dirs: string[] = [];
const fresh = () => { const d = mkdtempSync(join(tmpdir(), 'kuzet-stale-')); dirs.push(d); return join(d, 'stream-health.sqlite'); };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('spellChange', () => {
  it('starts only when a live stream goes stale, ends on live, offline or a stop', () => {
    expect(spellChange('live', 'stalled', false)).toEqual({ start: true, end: null });
    expect(spellChange('live', 'reconnecting', false)).toEqual({ start: true, end: null });
    expect(spellChange(undefined, 'connecting', false)).toEqual({ start: false, end: null }); // a first connect is not stale
    expect(spellChange('idle', 'connecting', false)).toEqual({ start: false, end: null });
    expect(spellChange('stalled', 'reconnecting', true)).toEqual({ start: false, end: null });
    expect(spellChange('reconnecting', 'connecting', true)).toEqual({ start: false, end: null });
    expect(spellChange('stalled', 'live', true)).toEqual({ start: false, end: 'live' });
    expect(spellChange('reconnecting', 'offline', true)).toEqual({ start: false, end: 'offline' });
    expect(spellChange('reconnecting', 'error', true)).toEqual({ start: false, end: 'offline' });
    expect(spellChange('stalled', 'idle', true)).toEqual({ start: false, end: 'stopped' });
  });
});

describe('StaleSpellStore', () => {
  it('counts spells and their time inside the window, a running one up to now', () => {
    let now = 1_000_000;
    const s = new StaleSpellStore(fresh(), () => now);
    s.record('a', 'connecting'); now += 500; s.record('a', 'live');
    now += 10_000; s.record('a', 'stalled'); now += 3_000; s.record('a', 'reconnecting'); now += 2_000; s.record('a', 'live'); // 5 s
    now += 10_000; s.record('a', 'stalled'); now += 1_000; s.record('a', 'live'); // 1 s
    s.record('b', 'live'); now += 1_000; s.record('b', 'stalled'); now += 4_000; // running for 4 s
    s.record('c', 'live'); s.record('c', 'live'); // never stale
    const h = s.health(0, now);
    expect(h.get('a')).toEqual({ staleSpells: 2, staleMs: 6_000 });
    expect(h.get('b')).toEqual({ staleSpells: 1, staleMs: 4_000 });
    expect(h.has('c')).toBe(false);
    // clipped: a window that starts 2 s before the end of a's first spell
    const firstEnd = 1_000_000 + 500 + 10_000 + 5_000;
    expect(s.health(firstEnd - 2_000, firstEnd + 1).get('a')).toEqual({ staleSpells: 1, staleMs: 2_000 });
    // a spell that went offline ends there (the offline event counts it from then on)
    s.record('b', 'offline'); now += 60_000;
    expect(s.health(0, now).get('b')).toEqual({ staleSpells: 1, staleMs: 4_000 });
    s.close();
  });
  it('starts a spell at the last frame the stream delivered', () => {
    let now = 2_000_000;
    const s = new StaleSpellStore(fresh(), () => now);
    s.record('a', 'live', now); now += 1_500; s.record('a', 'stalled', now - 1_500); now += 500; s.record('a', 'live', now);
    expect(s.health(0, now).get('a')).toEqual({ staleSpells: 1, staleMs: 2_000 });
    s.record('a', 'stalled', now + 60_000); now += 100; s.record('a', 'live', now); // a last frame "in the future" is not believed
    expect(s.health(0, now).get('a')).toEqual({ staleSpells: 2, staleMs: 2_100 });
    s.close();
  });
  it('keeps spells across a restart; a spell open when the host stopped ends then', () => {
    const file = fresh();
    let now = 5_000_000;
    const s = new StaleSpellStore(file, () => now);
    s.record('a', 'live'); now += 1_000; s.record('a', 'stalled'); now += 7_000;
    s.close();
    now += 3_600_000;
    const again = new StaleSpellStore(file, () => now);
    expect(again.health(0, now).get('a')).toEqual({ staleSpells: 1, staleMs: 7_000 });
    again.close();
  });
});
