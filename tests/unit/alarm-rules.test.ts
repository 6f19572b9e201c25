import { describe, expect, it } from 'vitest';
import { inSchedule, matchRule, ruleMatches } from '../../electron/host/alarms/rules.js';
import { decide, emptyDedup, record } from '../../electron/host/alarms/dedup.js';
import { event, rule, T0 } from '../support/alarm-fixtures.js';

const ctx = { groupOf: (id: string) => (id === 'cam-a' ? 'Medeu' : undefined), now: new Date(2026, 10, 30, 10, 0) };

describe('rules', () => {
  it('filters by type, camera or group, zone, watch list, confidence and enabled', () => {
    const ev = event({ type: 'plate', confidence: 0.8, zones: ['gate'] });
    expect(ruleMatches(rule({ types: ['plate'] }), ev, ctx)).toBe(true);
    expect(ruleMatches(rule({ types: ['face_match'] }), ev, ctx)).toBe(false);
    expect(ruleMatches(rule({ cameras: ['cam-b'] }), ev, ctx)).toBe(false);
    expect(ruleMatches(rule({ cameras: ['cam-b'], groups: ['Medeu'] }), ev, ctx)).toBe(true);
    expect(ruleMatches(rule({ zones: ['lobby'] }), ev, ctx)).toBe(false);
    expect(ruleMatches(rule({ zones: ['gate'] }), ev, ctx)).toBe(true);
    expect(ruleMatches(rule({ watchlists: ['stolen'] }), ev, ctx)).toBe(false);
    expect(ruleMatches(rule({ watchlists: ['wanted'] }), ev, ctx)).toBe(true);
    expect(ruleMatches(rule({ minConfidence: 0.9 }), ev, ctx)).toBe(false);
    expect(ruleMatches(rule({ enabled: false }), ev, ctx)).toBe(false);
  });

  it('a plate that is not on a list never matches a watch-list rule', () => {
    const ev = event({ type: 'plate', attributes: { text: 'X1', watchlistHit: false } } as never);
    expect(ruleMatches(rule({ watchlists: ['wanted'] }), ev, ctx)).toBe(false);
  });

  it('schedules: same-day windows, windows across midnight, days of week', () => {
    const s = { days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' };
    expect(inSchedule(s, new Date(2026, 10, 30, 9, 0))).toBe(true); // Monday
    expect(inSchedule(s, new Date(2026, 10, 30, 18, 0))).toBe(false);
    expect(inSchedule(s, new Date(2026, 10, 29, 9, 0))).toBe(false); // Sunday
    const night = { days: [5], from: '22:00', to: '06:00' }; // Friday night
    expect(inSchedule(night, new Date(2026, 11, 4, 23, 0))).toBe(true); // Fri 23:00
    expect(inSchedule(night, new Date(2026, 11, 5, 3, 0))).toBe(true); // Sat 03:00 belongs to Friday
    expect(inSchedule(night, new Date(2026, 11, 5, 23, 0))).toBe(false); // Sat 23:00
  });

  it('the most urgent matching rule wins', () => {
    const rules = [rule({ id: 'low', priority: 5 }), rule({ id: 'high', priority: 1, types: ['plate'] }), rule({ id: 'mid', priority: 3 })];
    expect(matchRule(rules, event({ type: 'plate' }), ctx)?.id).toBe('high');
    expect(matchRule(rules, event({ type: 'motion' }), ctx)?.id).toBe('mid');
    expect(matchRule([], event(), ctx)).toBeNull();
  });
});

describe('de-duplication', () => {
  const r = rule({ dedupWindowSec: 60, incidentWindowSec: 600 });
  const open = () => true;

  it('same camera, type and track within the window folds into one alarm; outside it raises a new one', () => {
    const s = emptyDedup();
    const e1 = event({ track: 't1' });
    expect(decide(s, r, e1, T0, open)).toEqual({ kind: 'new', incidentId: null });
    record(s, r, e1, T0, 'A1', null);
    expect(decide(s, r, event({ track: 't1' }), T0 + 59_000, open)).toEqual({ kind: 'fold', alarmId: 'A1' });
    expect(decide(s, r, event({ track: 't2' }), T0 + 1000, open).kind).toBe('new');
    expect(decide(s, r, event({ track: 't1', camera: 'cam-b' }), T0 + 1000, open).kind).toBe('new');
    expect(decide(s, r, event({ track: 't1' }), T0 + 61_000, open).kind).toBe('new');
    expect(decide(s, r, event({ track: 't1' }), T0 + 1000, () => false).kind).toBe('new'); // resolved alarms take no more events
  });

  it('the same plate on another camera within the incident window links to the first incident', () => {
    const s = emptyDedup();
    const p = (camera: string) => event({ type: 'plate', camera, attributes: { text: '777 abz 02', watchlistHit: true, watchlist: 'wanted' } } as never);
    record(s, r, p('cam-a'), T0, 'A1', null);
    expect(decide(s, r, p('cam-b'), T0 + 300_000, open)).toEqual({ kind: 'new', incidentId: 'A1' });
    record(s, r, p('cam-b'), T0 + 300_000, 'A2', 'A1');
    expect(decide(s, r, p('cam-c'), T0 + 800_000, open)).toEqual({ kind: 'new', incidentId: 'A1' });
    expect(decide(s, r, p('cam-d'), T0 + 2_000_000, open)).toEqual({ kind: 'new', incidentId: null });
  });

  it('the same face on several cameras is one incident; different people are not', () => {
    const s = emptyDedup();
    const f = (camera: string, personId: string) => event({ type: 'face_match', camera, attributes: { watchlist: 'wanted', personId, similarity: 0.9 } } as never);
    record(s, r, f('cam-a', 'P1'), T0, 'A1', null);
    expect(decide(s, r, f('cam-b', 'P1'), T0 + 1000, open)).toEqual({ kind: 'new', incidentId: 'A1' });
    expect(decide(s, r, f('cam-b', 'P2'), T0 + 1000, open)).toEqual({ kind: 'new', incidentId: null });
  });
});
