/**
 * Issue 12 §5: refusals the host's modules throw carry a reason code the console translates (plates and violations,
 * evidence exports, alarm rules, settings, recordings paths, training scenarios, camera-import rows). Each module is
 * called directly with bad input; the thrown ContractError's reason is asserted, and the English message stays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError, requests } from '../../electron/contract/api.js';
import { TimeWindow } from '../../electron/contract/access/access-schema.js';
import { reasonOfIssue, type ErrorReason } from '../../electron/contract/api-errors.js';
import { KuzetEvent, type KuzetEventInput, type StoredEvent } from '../../electron/contract/events-schema.js';
import { typedName } from '../../electron/contract/names.js';
import { FrigateSettings } from '../../electron/contract/schemas.js';
import { PlatePattern } from '../../electron/contract/plates/plates-api.js';
import type { ScenarioInput } from '../../electron/contract/training/scenario-schema.js';
import { AlarmEngine } from '../../electron/host/alarms/engine.js';
import { SqliteAlarmStore } from '../../electron/host/alarms/store-sqlite.js';
import { CameraRegistry } from '../../electron/host/cameras/registry.js';
import { exportEvidence, type ExportDeps } from '../../electron/host/export/evidence-export.js';
import type { SigningKey } from '../../electron/host/export/signing-key.js';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { createPlateModule } from '../../electron/host/plates/plate-module.js';
import { insideRoot } from '../../electron/host/recording/recordings-root.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';
import { SettingsStore } from '../../electron/host/settings/store.js';
import { createTraining } from '../../electron/host/training/training-module.js';
import { setLanguage } from '../../renderer/i18n/i18n.js';
import { noticeText } from '../../renderer/i18n/notices.js';

const log = createLogger({ quiet: true });
const ctx = { clientId: 'test' };
const T0 = 1_764_460_800_000;
const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'kuzet-refusals-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** The ContractError `run` throws (async or not); fails the test when it throws something else or nothing. */
async function refusal(run: () => unknown): Promise<ContractError> {
  try { await run(); } catch (e) { if (e instanceof ContractError) return e; throw e; }
  throw new Error('expected a refusal, got none');
}
const reasonOf = async (run: () => unknown): Promise<ErrorReason | undefined> => (await refusal(run)).reason;

describe('plates and violations', () => {
  const open = () => createPlateModule({ dataDir: tempDir(), log, cameras: () => [{ id: 'cam-a', name: 'A', location: undefined }], audit: () => {},
    maskPicture: (_id, data) => Promise.resolve(data), timeZone: () => 'Asia/Almaty', now: () => T0 + 3_600_000 });

  it('a bad pattern or plate has its reason, in the handler and in the contract schema alike', async () => {
    const mod = open();
    try {
      expect(await reasonOf(() => mod.handlers['plates.search']({ pattern: '*?*', limit: 10 }, ctx))).toEqual({ code: 'patternOnlyWildcards', params: {} });
      expect(await reasonOf(() => mod.handlers['plates.search']({ pattern: '7*', limit: 10 }, ctx))).toEqual({ code: 'patternFewKnown', params: { min: 2 } });
      expect(await reasonOf(() => mod.handlers['plates.route']({ plate: '777\u0007AB', limit: 10 }, ctx))).toEqual({ code: 'plateControl', params: { char: 'U+0007' } });
      expect(await reasonOf(() => mod.handlers['plates.route']({ plate: '777#AB', limit: 10 }, ctx))).toEqual({ code: 'plateCharacter', params: { char: '#', code: 'U+0023' } });
      const watch = await refusal(() => mod.handlers['plates.watchlist.save']({ entries: [{ pattern: ' - ', list: 'wanted', note: '' }], operator: 'op' }, ctx));
      expect(watch.message).toBe("watch list: ' - ': empty: type the plate (letters and digits)");
      expect(watch.reason).toEqual({ code: 'plateEmpty', params: {} });
      // the contract's schema refuses the same pattern before the handler: its issue carries the code through dispatch
      const parsed = PlatePattern.safeParse('*');
      expect(parsed.success).toBe(false);
      expect(reasonOfIssue(parsed.error!.issues[0]!)).toEqual({ code: 'patternOnlyWildcards', params: {} });
    } finally { mod.close(); }
  });

  it('a missing or already decided violation has its reason, naming who decided', async () => {
    const mod = open();
    try {
      const input: KuzetEventInput = { camera: 'cam-a', captureTime: T0, type: 'traffic_violation', attributes: { violation: 'speeding', speedKmh: 131, limitKmh: 90, plate: '505aaa05' } };
      const ev: StoredEvent = { ...KuzetEvent.parse(input), id: 'ev-1', receivedAt: T0, source: 'mqtt' };
      mod.tap.committed!([ev]);
      const [v] = mod.handlers['violations.list']({ limit: 10 }, ctx) as Array<{ id: string }>;
      expect(v).toBeDefined();
      expect(await reasonOf(() => mod.handlers['violations.get']({ id: 'nope' }, ctx))).toEqual({ code: 'noViolation', params: { id: 'nope' } });
      mod.handlers['violations.decide']({ id: v!.id, verdict: 'accepted', reason: 'seen on camera', operator: 'aigerim' }, ctx);
      const again = await refusal(() => mod.handlers['violations.decide']({ id: v!.id, verdict: 'rejected', reason: 'second look', operator: 'bolat' }, ctx));
      expect(again.code).toBe('conflict');
      expect(again.reason).toEqual({ code: 'violationAccepted', params: { id: v!.id, by: 'aigerim' } });
    } finally { mod.close(); }
  });
});

describe('evidence exports', () => {
  const deps = (): ExportDeps => ({ exportsDir: tempDir(), segments: () => [], filePath: () => '/nowhere', cameraName: (c) => c, key: {} as SigningKey, software: 'test' });
  const req = { cameraIds: ['cam-a', 'cam-b'], fromMs: T0, toMs: T0 + 60_000, reason: 'case 1', by: 'op' };

  it('a backwards or too long range, and a range with no footage, have their reasons', async () => {
    expect(await reasonOf(() => exportEvidence({ ...req, toMs: T0 - 1 }, deps()))).toEqual({ code: 'rangeBackwards', params: {} });
    const long = await refusal(() => exportEvidence({ ...req, toMs: T0 + 25 * 3_600_000 }, deps()));
    expect(long.message).toBe('an export covers at most 24 hours');
    expect(long.reason).toEqual({ code: 'exportTooLong', params: { hours: 24 } });
    expect(await reasonOf(() => exportEvidence(req, deps()))).toEqual({ code: 'exportNoFootage', params: { cameras: 'cam-a, cam-b' } });
  });
});

describe('other modules', () => {
  it('a path leaving the recordings folder', async () => {
    expect(await reasonOf(() => insideRoot('/rec', '../etc/passwd'))).toEqual({ code: 'pathOutside', params: { path: '../etc/passwd' } });
  });

  it('settings: a value out of range names its field', async () => {
    const s = new SettingsStore({ dataDir: tempDir(), log });
    expect(await reasonOf(() => s.update({ decodeBudgetPct: 500 }))).toMatchObject({ code: 'tooBig', params: { field: 'decodeBudgetPct' } });
  });

  it('alarm rules: an id used twice', async () => {
    const dir = tempDir();
    const store = new SqliteAlarmStore(join(dir, 'alarms.sqlite'));
    const engine = new AlarmEngine({ store, log, cameras: () => [{ id: 'cam-a' }] });
    try {
      const [rule] = engine.listRules();
      expect(rule).toBeDefined();
      expect(await reasonOf(() => engine.saveRules([rule!, rule!] as never, 'op'))).toEqual({ code: 'ruleIdTwice', params: { id: rule!.id } });
    } finally { engine.close(); store.close(); }
  });

  it('a training scenario: two events with one name', async () => {
    const t = createTraining({ dataDir: tempDir(), log: undefined as never, cameraIds: () => ['cam-1'], incident: () => null, audit: () => {}, now: () => T0 });
    const scenario: ScenarioInput = {
      id: 'drill', name: 'Drill', source: { kind: 'recording', fromMs: T0 - 600_000 }, cameraIds: ['cam-1'], durationMs: 120_000,
      events: [{ id: 'e1', atMs: 10_000, kind: 'false-alarm', cameraId: 'cam-1' }, { id: 'e1', atMs: 60_000, kind: 'false-alarm', cameraId: 'cam-1' }], expected: [],
    };
    try {
      expect(await reasonOf(() => t.handlers['training.scenarios.save']({ scenario, operator: 'trainer' }, ctx))).toEqual({ code: 'scenarioEventTwice', params: { id: 'e1' } });
    } finally { t.close(); }
  });

  it('refinements with a sentence of their own map to their code (they had none: the English stayed)', () => {
    const codeOf = (r: { success: boolean; error?: { issues: Parameters<typeof reasonOfIssue>[0][] } }) => {
      expect(r.success).toBe(false);
      return reasonOfIssue(r.error!.issues[0]!)?.code;
    };
    expect(codeOf(requests['replay.incidents.create'].params.safeParse({ name: 'x', fromMs: T0, toMs: T0 - 1, cameraIds: ['cam-a'], operator: 'op' }))).toBe('rangeBackwards');
    expect(codeOf(requests['replay.incidents.create'].params.safeParse({ name: 'x', fromMs: T0, toMs: T0 + 25 * 3_600_000, cameraIds: ['cam-a'], operator: 'op' }))).toBe('incidentTooLong');
    expect(codeOf(TimeWindow.safeParse({ from: '08:00', to: '08:00', timeZone: 'Asia/Almaty' }))).toBe('timeWindowEmpty');
    expect(codeOf(TimeWindow.safeParse({ from: '08:00', to: '09:00', timeZone: 'Mars/Olympus' }))).toBe('timeZoneUnknown');
    expect(codeOf(FrigateSettings.safeParse({ names: [], detectWidth: 1280 }))).toBe('detectSizePair');
  });

  it('a name with a text-direction override', () => {
    const parsed = typedName('camera name').safeParse('gnp\u202Eexe');
    expect(parsed.success).toBe(false);
    expect(reasonOfIssue(parsed.error!.issues[0]!)).toEqual({ code: 'nameUnsafe', params: { char: 'U+202E' } });
  });
});

describe('camera import', () => {
  it('a rejected row carries its reason, and the notice shows it in the chosen language', async () => {
    const dir = tempDir();
    const notices = new NoticeBoard();
    const reg = new CameraRegistry({ dataDir: dir, secrets: new FileKeySecretBox(dir), notices, log });
    const res = reg.import('csv', 'name,mainUrl,lat,lon\r\nA,rtsp://h/a,43.2,\r\n');
    expect(res.errors).toEqual([{ row: 2, message: 'lat and lon go together: give both or neither', reason: { code: 'importLatLon', params: {} } }]);
    const notice = notices.list().at(-1)!;
    expect(notice.message).toContain('lat and lon go together');
    expect(notice.reason).toEqual({ code: 'importLatLon', params: {} });
    await setLanguage('ru');
    try {
      const text = noticeText(notice);
      expect(text).toContain('lat и lon указываются вместе');
      expect(text).not.toContain('go together');
    } finally { await setLanguage('en'); }
  });
});
