// The auditor's screen as data (renderer/audit/audit-query.ts): times typed on the centre's clock (Asia/Almaty, UTC+5,
// and a zone with summer time), the form turned into the contract's filter, paging, and what a row shows.
import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../electron/contract/audit-api.js';
import { AuditFilter } from '../../electron/contract/audit-api.js';
import { matches } from '../../electron/host/audit/audit-report.js';
import { EMPTY_FORM, PAGE_SIZE, filterOf, formProblems, msToZonedInput, pageCount, pageFilter, presets, viewOf, zonedInputToMs } from '../../renderer/audit/audit-query.js';

const ALMATY = 'Asia/Almaty';
const row = (o: Partial<AuditRow>): AuditRow => ({ chain: 'access', seq: 1, at: 0, user: 'operator', console: 'c1', action: 'session.start', target: 's', details: '', ...o });

describe('times on the centre clock', () => {
  it('reads a datetime-local value in the centre zone, not the machine zone', () => {
    expect(zonedInputToMs('2026-12-03T08:00', ALMATY)).toBe(Date.UTC(2026, 11, 3, 3, 0)); // UTC+5
    expect(zonedInputToMs('2026-12-03T08:00', 'UTC')).toBe(Date.UTC(2026, 11, 3, 8, 0));
    // Berlin: +1 in winter, +2 in summer
    expect(zonedInputToMs('2026-01-10T12:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 10, 11, 30));
    expect(zonedInputToMs('2026-07-10T12:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 10, 10, 30));
    expect(zonedInputToMs('2026-13-01T00:00', ALMATY)).toBeNull();
    expect(zonedInputToMs('yesterday', ALMATY)).toBeNull();
  });
  it('writes the centre clock back (round trip)', () => {
    const ms = Date.UTC(2026, 11, 3, 19, 45);
    expect(msToZonedInput(ms, ALMATY)).toBe('2026-12-04T00:45');
    expect(zonedInputToMs(msToZonedInput(ms, ALMATY), ALMATY)).toBe(ms);
  });
});

describe('the form as a filter', () => {
  it('"who watched camera X between two times" asks for view intervals of that camera in that range', () => {
    const f = filterOf(presets.whoWatched('gate-1', '2026-12-03T08:00', '2026-12-03T20:00'), ALMATY);
    expect(f).toEqual({ cameraId: 'gate-1', actions: ['view.'], fromMs: Date.UTC(2026, 11, 3, 3), toMs: Date.UTC(2026, 11, 3, 15) + 59_999 });
    expect(AuditFilter.safeParse(f).success).toBe(true);
    // an interval that overlaps the range matches; one that ended before it does not (the host's own filter)
    const during = row({ action: 'view.live', target: 'camera:gate-1', details: JSON.stringify({ from: Date.UTC(2026, 11, 3, 2, 50), to: Date.UTC(2026, 11, 3, 3, 10) }) });
    const before = row({ action: 'view.live', target: 'camera:gate-1', details: JSON.stringify({ from: Date.UTC(2026, 11, 3, 1), to: Date.UTC(2026, 11, 3, 2) }) });
    const other = row({ action: 'view.live', target: 'camera:gate-2', details: JSON.stringify({ from: Date.UTC(2026, 11, 3, 4), to: Date.UTC(2026, 11, 3, 5) }) });
    expect([during, before, other].map((r) => matches(r, f))).toEqual([true, false, false]);
  });
  it('"what user Y did during a shift" and "every unmask"', () => {
    expect(filterOf(presets.userShift(' aigerim ', '2026-12-03T08:00', ''), ALMATY)).toEqual({ users: ['aigerim'], fromMs: Date.UTC(2026, 11, 3, 3) });
    const unmask = filterOf(presets.unmasks(), ALMATY);
    expect(unmask).toEqual({ actions: ['masks.lift', 'export.unmasked'] });
    expect(matches(row({ chain: 'export', action: 'export.unmasked', details: JSON.stringify({ reason: 'court order 7/26' }) }), unmask)).toBe(true);
    expect(matches(row({ chain: 'export', action: 'export.unmasked.start' }), unmask)).toBe(false); // the intent, before the files
    expect(matches(row({ chain: 'alarms', action: 'masks.lift', details: JSON.stringify({ reason: 'identify a suspect' }) }), unmask)).toBe(true);
    expect(matches(row({ chain: 'alarms', action: 'masks.save' }), unmask)).toBe(false);
  });
  it('an empty form matches everything; bad or reversed times are problems, not a filter', () => {
    expect(filterOf(EMPTY_FORM, ALMATY)).toEqual({});
    expect(formProblems({ ...EMPTY_FORM, from: '2026-12-03T10:00', to: '2026-12-03T09:00' }, ALMATY)).toEqual(['audit.problem.order']);
    expect(formProblems({ ...EMPTY_FORM, from: 'x' }, ALMATY)).toEqual(['audit.problem.from']);
    expect(formProblems({ ...EMPTY_FORM, text: 'anything' }, ALMATY)).toEqual([]);
  });
  it('pages of the table', () => {
    expect(pageFilter({ users: ['a'] }, 2)).toEqual({ users: ['a'], offset: 2 * PAGE_SIZE, limit: PAGE_SIZE });
    expect([0, 1, 50, 51, 120].map(pageCount)).toEqual([1, 1, 1, 2, 3]);
  });
});

describe('what a row shows', () => {
  it('a view: its interval and where from; an unmask: its reason; plain text as it is', () => {
    const v = viewOf(row({ action: 'view.live', at: 9000, details: JSON.stringify({ from: 1000, to: 9000, session: 'ab12', source: 'web:10.0.0.5', display: 'main' }) }));
    expect(v).toEqual({ from: 1000, to: 9000, source: 'web:10.0.0.5', details: 'session: ab12 · display: main', reason: null });
    const u = viewOf(row({ action: 'masks.lift', at: 5000, details: JSON.stringify({ reason: 'identify a suspect', minutes: 5 }) }));
    expect(u).toMatchObject({ from: 5000, to: null, reason: 'identify a suspect', details: 'minutes: 5' });
    expect(viewOf(row({ at: 7, details: 'signed in from web:1.2.3.4' }))).toEqual({ from: 7, to: null, source: null, details: 'signed in from web:1.2.3.4', reason: null });
  });
});
