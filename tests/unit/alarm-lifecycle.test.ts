import { describe, expect, it } from 'vitest';
import { applyAction, dueForEscalation, escalateUnclaimed } from '../../electron/host/alarms/lifecycle.js';
import { compareAlarms } from '../../electron/contract/alarms-schema.js';
import { alarm, T0 } from '../support/alarm-fixtures.js';

const ok = <T extends { ok: boolean }>(t: T) => { if (!t.ok) throw new Error(JSON.stringify(t)); return t as Extract<T, { ok: true }>; };

describe('alarm lifecycle', () => {
  it('new -> claimed (one owner) -> resolved with verdict and comment', () => {
    const a = ok(applyAction(alarm(), { kind: 'claim' }, 'aigerim', T0 + 5)).alarm;
    expect(a).toMatchObject({ state: 'claimed', owner: 'aigerim', claimedAt: T0 + 5, version: 2 });
    const other = applyAction(a, { kind: 'claim' }, 'bolat', T0 + 6);
    expect(other).toEqual({ ok: false, code: 'conflict', message: 'claimed by aigerim', reason: { code: 'alarmClaimedBy', params: { owner: 'aigerim' } } });
    expect(ok(applyAction(a, { kind: 'claim' }, 'aigerim', T0 + 7)).changed).toBe(false);
    const r = ok(applyAction(a, { kind: 'resolve', verdict: 'confirmed', comment: ' patrol sent ' }, 'aigerim', T0 + 9));
    expect(r.alarm).toMatchObject({ state: 'resolved', verdict: 'confirmed', comment: 'patrol sent', resolvedAt: T0 + 9 });
    expect(applyAction(r.alarm, { kind: 'claim' }, 'bolat', T0 + 10).ok).toBe(false);
  });

  it('only the owner works the SOP and resolves; pending steps are recorded as skipped', () => {
    const a = ok(applyAction(alarm(), { kind: 'claim' }, 'aigerim', T0)).alarm;
    expect(applyAction(alarm(), { kind: 'sop', step: 0, state: 'done' }, 'aigerim', T0)).toMatchObject({ ok: false, code: 'invalid' });
    expect(applyAction(a, { kind: 'sop', step: 0, state: 'done' }, 'bolat', T0)).toMatchObject({ ok: false, code: 'conflict' });
    expect(applyAction(a, { kind: 'sop', step: 7, state: 'done' }, 'aigerim', T0)).toMatchObject({ ok: false, code: 'invalid' });
    const b = ok(applyAction(a, { kind: 'sop', step: 0, state: 'done' }, 'aigerim', T0 + 1)).alarm;
    expect(b.sop[0]).toEqual({ text: 'Look', state: 'done', by: 'aigerim', at: T0 + 1 });
    const r = ok(applyAction(b, { kind: 'resolve', verdict: 'false', comment: '' }, 'aigerim', T0 + 2));
    expect(r.alarm.sop.map((s) => s.state)).toEqual(['done', 'skipped']);
    expect(r.audit).toContain('skipped SOP steps 2');
    expect(r.alarm.comment).toBeNull();
  });

  it('escalation raises the priority; release returns a claimed alarm to the queue', () => {
    const a = ok(applyAction(alarm({ priority: 3 }), { kind: 'claim' }, 'aigerim', T0)).alarm;
    const e = ok(applyAction(a, { kind: 'escalate', reason: 'needs supervisor' }, 'aigerim', T0 + 1)).alarm;
    expect(e).toMatchObject({ state: 'escalated', priority: 2, owner: 'aigerim', escalation: 'needs supervisor' });
    expect(ok(applyAction(a, { kind: 'release' }, 'aigerim', T0)).alarm).toMatchObject({ state: 'new', owner: null });
    expect(applyAction(a, { kind: 'release' }, 'bolat', T0)).toMatchObject({ ok: false, code: 'conflict' });
    expect(ok(applyAction(alarm({ priority: 1 }), { kind: 'escalate', reason: 'x' }, 'bolat', T0)).alarm.priority).toBe(1);
  });

  it('time-to-claim: an unclaimed alarm escalates once the limit passes, a claimed one never', () => {
    const a = alarm({ createdAt: T0 });
    expect(dueForEscalation(a, 60, T0 + 59_999)).toBe(false);
    expect(dueForEscalation(a, 60, T0 + 60_000)).toBe(true);
    expect(dueForEscalation(a, 0, T0 + 1e9)).toBe(false);
    expect(dueForEscalation(alarm({ state: 'claimed', owner: 'x' }), 60, T0 + 1e9)).toBe(false);
    const e = ok(escalateUnclaimed(a, 60, T0 + 60_000)).alarm;
    expect(e).toMatchObject({ state: 'escalated', owner: null, escalation: 'not claimed within 60 s' });
    expect(dueForEscalation(e, 60, T0 + 1e9)).toBe(false);
    expect(ok(applyAction(e, { kind: 'claim' }, 'bolat', T0 + 61_000)).alarm).toMatchObject({ state: 'escalated', owner: 'bolat' });
  });

  it('queue order: open before resolved, then priority, then the newest', () => {
    const list = [alarm({ id: 'c', priority: 2, createdAt: T0 + 5 }), alarm({ id: 'r', priority: 1, state: 'resolved' }), alarm({ id: 'a', priority: 1, createdAt: T0 + 9 }), alarm({ id: 'b', priority: 2, createdAt: T0 })];
    expect(list.sort(compareAlarms).map((a) => a.id)).toEqual(['a', 'c', 'b', 'r']);
  });
});
