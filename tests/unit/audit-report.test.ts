// The auditor's filter and the report's CSV: a view interval matches a time range it overlaps, action prefixes,
// camera by target or details, text anywhere; CSV cells a spreadsheet would run as formulas are quoted as text.
import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../electron/contract/audit-api.js';
import { matches, reportCsv } from '../../electron/host/audit/audit-report.js';

const row = (o: Partial<AuditRow>): AuditRow => ({ chain: 'access', seq: 1, at: 10_000, user: 'operator', console: 'c1', action: 'session.start', target: 's', details: '', ...o });
const view = row({ action: 'view.live', target: 'camera:gate-1', at: 9000, details: JSON.stringify({ from: 1000, to: 9000, session: 's1' }) });

describe('audit filter', () => {
  it('matches a view interval that overlaps the range, not one outside it', () => {
    expect(matches(view, { fromMs: 5000, toMs: 6000 })).toBe(true); // inside the interval, though written at 9000
    expect(matches(view, { fromMs: 9500 })).toBe(false);
    expect(matches(view, { toMs: 999 })).toBe(false);
    expect(matches(row({}), { fromMs: 10_001 })).toBe(false);
  });
  it('filters by action prefix, user, camera and text', () => {
    expect(matches(view, { actions: ['view.'] })).toBe(true);
    expect(matches(view, { actions: ['view'] })).toBe(false); // a prefix ends with a dot
    expect(matches(view, { actions: ['view.recording'] })).toBe(false);
    expect(matches(view, { users: ['auditor'] })).toBe(false);
    expect(matches(view, { cameraId: 'gate-1' })).toBe(true);
    expect(matches(view, { cameraId: 'gate-10' })).toBe(false);
    expect(matches(row({ action: 'export.create', details: JSON.stringify({ cameraIds: ['gate-1'] }) }), { cameraId: 'gate-1' })).toBe(true);
    expect(matches(row({ details: 'Signed in from WEB:10.0.0.5' }), { text: 'web:10.0.0' })).toBe(true);
  });
});

describe('report CSV', () => {
  it('quotes separators and defuses formulas', () => {
    const csv = reportCsv([row({ user: '=HYPERLINK("x")', details: 'a, "b"\nc' })]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time (UTC),chain,seq,user,console,action,target,details');
    expect(lines[1]).toBe(`1970-01-01T00:00:10.000Z,access,1,"'=HYPERLINK(""x"")",c1,session.start,s,"a, ""b""\nc"`);
  });
});
