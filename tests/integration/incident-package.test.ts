/**
 * Incident packages against real processes (issue 11 §1): a simulator camera records through the web shell host, the
 * wall's layout changes, an alarm raised over MQTT is claimed and resolved; the incident's package holds the camera's
 * own H.264 (not re-encoded), the journal, the alarm with its history and the event, signed; the real `kuzet verify`
 * accepts it and rejects it with one byte changed or a file gone (naming the file); a second console with a fresh data
 * dir refuses the tampered copy, imports the package and replays the same console states from it alone.
 * Units moving during the incident (MQTT telemetry `kuzet/units/<id>`) are in its units.json; the second console answers
 * the unit tracks, the event boxes and hover thumbnails from the package alone, equal to the first console's answers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { INCIDENT_PACKAGE_FORMAT, PackageAlarms, PackageEvents, PackageJournal, PackageUnits } from '../../electron/contract/replay-package.js';
import type { UnitTelemetry } from '../../electron/contract/units-schema.js';
import { MANIFEST_FILE, SIGNATURE_FILE, manifestBytes, signManifest, type Manifest } from '../../electron/host/export/manifest.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { readIncidentPackage } from '../../electron/host/replay/incident-package.js';
import { pictureError, THUMB_FILTER, thumbsOfYuv444, type Thumb } from '../support/pictures.js';
import { waitFor } from '../support/harness.js';
import type { ApiClient } from '../support/api-client.js';
import type { ConsoleState, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { actionMoments } from '../../electron/contract/replay-state.js';
import { consolesWithCamera } from '../support/consoles.js';
import { ROOT } from '../support/harness.js';
import { actOutIncident } from '../support/incident-scenario.js';
import { addRecordedCameras, probeFile } from '../support/recording.js';

const CAM = 'cam-extra-01';
const { consoles, sim } = consolesWithCamera();
let pub: MqttClient | undefined;
const tmp = (prefix: string) => consoles.tmp(prefix);

const startConsole = (dataDir: string) => consoles.start(dataDir);
async function stopConsole(): Promise<void> {
  await pub?.endAsync(); pub = undefined;
  await consoles.stop();
}
const verify = (dir: string, dataDir: string) =>
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', dir, '--data-dir', dataDir], { encoding: 'utf8' });

afterAll(async () => { await pub?.endAsync(); });

/** A JPEG as a 64x36 YUV picture (decoded by ffmpeg). */
const pictureOf = (jpeg: Buffer): Thumb => thumbsOfYuv444(new Uint8Array(execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-vf', THUMB_FILTER, '-f', 'rawvideo', '-'], { input: jpeg, maxBuffer: 1 << 20 })))[0]!;

/** What a console answers for an incident's overlays, unit tracks and hover thumbnails (the replay player's asks). */
async function replayAnswers(c: ApiClient, origin: string, token: string, id: string, cam: string, windows: Array<[number, number]>, thumbMoments: number[]) {
  const tracks = [], events = [], thumbs: Array<{ status: number; jpeg: Buffer }> = [];
  for (const [fromMs, toMs] of windows) {
    tracks.push(await c.call('replay.footage.tracks', { id, fromMs, toMs }));
    events.push(await c.call('replay.footage.events', { id, cameraId: cam, fromMs, toMs }));
  }
  for (const t of thumbMoments) {
    const r = await fetch(`${origin}/rec/pkg/${id}/${cam}/${t}.jpg?token=${token}`);
    thumbs.push({ status: r.status, jpeg: Buffer.from(await r.arrayBuffer()) });
  }
  return { tracks, events, thumbs };
}

describe('incident package', () => {
  it('packages a recorded incident, verifies with kuzet verify, is refused when tampered, and replays on another console', async () => {
    const dataA = tmp('kuzet-pkg-a-');
    const a = await startConsole(dataA);
    const user = consoles.shell!.info.user ?? 'admin';
    pub = await mqtt.connectAsync((await a.call('alarms.info', {})).mqttUrl, { clientId: 'it-incident-package' });
    await addRecordedCameras(a, sim(), [CAM]);
    const alarm = await actOutIncident(a, pub, CAM, 'it-pkg-1', user);

    const incident = await a.call('replay.incidents.fromAlarm', { alarmId: alarm.id, beforeMin: 0.3, afterMin: 0.05, operator: user });
    // a patrol car drives through the incident (reports every second from 30 s before it to 10 s after it), a drone
    // carrying the camera crosses part of it, a robot reported only minutes before it (not in the package); and an
    // analytics event with a box on the camera inside it (an `object` event: no alarm rule, so the alarms stay as acted)
    const reports = (id: string, kind: UnitTelemetry['kind'], from: number, to: number, extra: Partial<UnitTelemetry> = {}) => {
      const out: UnitTelemetry[] = [];
      for (let ts = from, k = 0; ts <= to; ts += 1000, k++) out.push({ v: 1, id, kind, lat: 43.25 + k * 0.00005, lon: 76.94 + k * 0.0001, heading: 45, ts, ...extra });
      return out;
    };
    const sent = [
      ...reports('patrol-77', 'patrol_car', incident.fromMs - 30_000, Math.min(incident.toMs + 10_000, Date.now())),
      ...reports('drone-78', 'drone', incident.fromMs + 4_000, incident.fromMs + 12_000, { cameraId: CAM, alt: 80 }),
      ...reports('robot-79', 'robot', incident.fromMs - 300_000, incident.fromMs - 240_000),
    ];
    for (const m of sent) await pub.publishAsync(`kuzet/units/${m.id}`, JSON.stringify(m), { qos: 1 });
    const box = { x: 0.25, y: 0.3, w: 0.4, h: 0.35 };
    await pub.publishAsync(`kuzet/events/${CAM}`, JSON.stringify({ id: 'it-pkg-box', captureTime: alarm.firstAt + 1_500, type: 'object', track: 'p1', boxes: [box], attributes: { class: 'person' } }), { qos: 1 });
    const lastOf = (id: string) => sent.filter((m) => m.id === id).at(-1)!.ts;
    await waitFor('every unit report recorded and the event stored', async () => {
      const t = await a.call('units.tracks', { fromMs: incident.fromMs - 400_000, toMs: incident.toMs + 60_000 });
      const ev = await a.call('events.query', { cameraId: CAM, fromMs: incident.fromMs, toMs: incident.toMs });
      return ['patrol-77', 'drone-78', 'robot-79'].every((id) => t.tracks.find((u) => u.id === id)?.points.at(-1)?.[2] === lastOf(id)) && ev.events.length > 0;
    }, 30_000, 200);
    const record = await a.call('replay.incidents.get', { id: incident.id }) as IncidentRecord;
    expect(record.actions.map((x) => x.action)).toEqual(expect.arrayContaining(['alarm.raise', 'alarm.claim', 'alarm.resolve', 'wall.setLayout']));
    // the moments to compare: every action, the millisecond before each, and evenly spaced ones
    const moments = [...new Set([...actionMoments(record).flatMap((t) => [t - 1, t]), ...Array.from({ length: 20 }, (_, k) => Math.round(incident.fromMs + ((incident.toMs - incident.fromMs) * k) / 19))])]
      .filter((t) => t >= incident.fromMs && t <= incident.toMs);
    const statesA: ConsoleState[] = [];
    for (const t of moments) statesA.push(await a.call('replay.stateAt', { id: incident.id, atMs: t }) as ConsoleState);
    // the states differ over the incident (new, claimed, resolved; Four, One): equal states later prove something
    expect([...new Set(statesA.map((s) => s.queue.find((q) => q.id === alarm.id)?.state))]).toEqual(expect.arrayContaining(['new', 'claimed', 'resolved']));

    // the incident's alarms as marks on its cameras' timeline, as this console shows them
    const alarmMarks = async (c: typeof a) => (await c.call('replay.footage.timeline', { id: incident.id, cameraIds: [CAM], fromMs: incident.fromMs, toMs: incident.toMs }))
      .flatMap((r) => r.markers.filter((m) => m.kind === 'alarm'));
    const marksA = await alarmMarks(a);
    expect(marksA.map((m) => m.id)).toContain(`alarm-${alarm.id}`);
    // A's answers for its own incident (its stores) over windows inside it (a package holds the incident's range only); A's review asks the same of its stores
    const span = incident.toMs - incident.fromMs;
    const windows: Array<[number, number]> = [[incident.fromMs, incident.toMs], [incident.fromMs, incident.fromMs + 6_000],
      ...[0.1, 0.3, 0.55, 0.8].map((f): [number, number] => [Math.round(incident.fromMs + span * f), Math.min(incident.toMs, Math.round(incident.fromMs + span * f + 7_000))])];
    // moments with footage (recording began a few segments before the alarm; the incident starts 18 s before it)
    const thumbMoments = [alarm.firstAt - 6_000, alarm.firstAt - 2_000, Math.min(alarm.firstAt + 2_000, incident.toMs - 500)].map((t) => Math.round(t / 1000) * 1000);
    const shellA = consoles.shell!.info;
    const answersA = await replayAnswers(a, shellA.origin, shellA.token, incident.id, CAM, windows, [...thumbMoments, thumbMoments[0]! + 2_500]);
    for (const [k, [fromMs, toMs]] of windows.entries()) {
      expect(answersA.tracks[k]).toEqual(await a.call('units.tracks', { fromMs, toMs }));
      expect(answersA.events[k]).toEqual(await a.call('events.query', { cameraId: CAM, fromMs, toMs }));
    }
    const wholeA = answersA.tracks[0]!;
    expect(wholeA.tracks.map((u) => u.id)).toEqual(['drone-78', 'patrol-77']); // the robot reported minutes before it
    expect(wholeA.tracks[1]!.points.length).toBeGreaterThan(20);
    expect(answersA.events[0]!.events.map((e) => e.id)).toEqual(['it-pkg-box']);
    const around = async (t: number) => (await a.call('playback.segments', { cameraId: CAM, fromMs: t - 10_000, toMs: t + 10_000 })).segments.map((x) => [x.startMs - t, x.endMs - t, x.bytes]);
    expect(answersA.thumbs.map((x) => x.status), JSON.stringify({ now: Date.now() - incident.toMs, segs: await Promise.all(thumbMoments.map(around)), body: answersA.thumbs.map((x) => x.jpeg.toString().slice(0, 60)) })).toEqual([200, 200, 200, 200]);
    // the camera's zones on A: packaged (zones.json) and drawn over the imported incident on B, never B's own zones of that id
    const zonesA = [{ kind: 'zone' as const, name: 'Gate', points: [{ x: 0.1, y: 0.1 }, { x: 0.5, y: 0.1 }, { x: 0.5, y: 0.6 }] }, { kind: 'line' as const, name: 'Kerb', points: [{ x: 0.1, y: 0.9 }, { x: 0.9, y: 0.8 }], direction: 'left' as const }];
    await a.call('zones.save', { cameraId: CAM, zones: zonesA, operator: user });
    expect(await a.call('replay.footage.zones', { id: incident.id })).toEqual({ source: 'console', cameras: [{ cameraId: CAM, zones: zonesA }] });
    // a bookmark inside the incident, one after it, and an evidence lock over part of it: packaged (evidence.json) and
    // marked on B's imported timeline as on A's
    const bookmark = await a.call('bookmarks.add', { cameraId: CAM, atMs: alarm.firstAt + 500, comment: 'suspect at the gate', by: user });
    await a.call('bookmarks.add', { cameraId: CAM, atMs: incident.toMs + 5_000, comment: 'after the incident', by: user });
    const lock = await a.call('evidence.lock', { cameraIds: [CAM], fromMs: incident.fromMs - 10_000, toMs: alarm.firstAt, reason: 'case 7/12', by: user });
    const evidenceMarks = async (c: typeof a) => (await c.call('replay.footage.timeline', { id: incident.id, cameraIds: [CAM], fromMs: incident.fromMs, toMs: incident.toMs }))
      .flatMap((r) => r.markers.filter((m) => m.kind === 'bookmark' || m.kind === 'lock'));
    const evidenceA = await evidenceMarks(a);
    expect(evidenceA.map((m) => [m.kind, m.id])).toEqual([['lock', lock.id], ['bookmark', bookmark.id]]);
    const pkg = await a.call('replay.packages.create', { id: incident.id, operator: user, archive: true });
    await a.call('zones.save', { cameraId: CAM, zones: [], operator: user }); // changed after packaging: the package keeps what it had
    expect(pkg.archive).toBe(`${pkg.dir}.tar`);
    const names = readdirSync(pkg.dir).sort();
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig', 'public-key.pem', 'README.txt', 'journal.json', 'alarms.json', 'events.json', 'units.json', 'zones.json', 'evidence.json']));
    const videos = names.filter((n) => n.endsWith('.mp4'));
    expect(videos.length).toBeGreaterThanOrEqual(1);
    const manifest = JSON.parse(readFileSync(join(pkg.dir, 'manifest.json'), 'utf8')) as { format: string; reencoded: boolean; incident: { id: string }; files: Array<{ name: string; kind: string }> };
    expect(manifest).toMatchObject({ format: INCIDENT_PACKAGE_FORMAT, reencoded: false, incident: { id: incident.id } });
    expect(manifest.files.map((f) => f.name).sort()).toEqual(names.filter((n) => !['manifest.json', 'manifest.sig', 'public-key.pem', 'README.txt'].includes(n)));
    // the camera's own main stream (720p H.264 from the simulator), remuxed
    expect(probeFile(join(pkg.dir, videos[0]!))).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720 });
    const journal = PackageJournal.parse(JSON.parse(readFileSync(join(pkg.dir, 'journal.json'), 'utf8')));
    expect(journal.record).toEqual(record);
    const alarms = PackageAlarms.parse(JSON.parse(readFileSync(join(pkg.dir, 'alarms.json'), 'utf8')));
    const packed = alarms.alarms.find((x) => x.alarm.id === alarm.id);
    expect(packed?.alarm).toMatchObject({ state: 'resolved', verdict: 'confirmed', owner: user });
    expect(packed?.history.map((h) => h.action)).toEqual(expect.arrayContaining(['alarm.claim', 'alarm.resolve']));
    const events = PackageEvents.parse(JSON.parse(readFileSync(join(pkg.dir, 'events.json'), 'utf8')));
    expect(events.cameras.find((c) => c.cameraId === CAM)?.events.map((e) => e.id)).toEqual(expect.arrayContaining(['it-pkg-1', 'it-pkg-box']));
    // units.json: every unit with reports in the range (with its lead-in), named, the drone after its camera
    const units = PackageUnits.parse(JSON.parse(readFileSync(join(pkg.dir, 'units.json'), 'utf8')));
    expect(units).toMatchObject({ fromMs: incident.fromMs, toMs: incident.toMs, truncated: false });
    expect(units.units.map((u) => [u.id, u.kind, u.name, u.cameraId])).toEqual([['drone-78', 'drone', (await a.call('cameras.list', {})).find((c) => c.id === CAM)!.name, CAM], ['patrol-77', 'patrol_car', 'patrol-77', undefined]]);
    const patrol = units.units.find((u) => u.id === 'patrol-77')!;
    expect(patrol.points[0]![2]).toBe(incident.fromMs - 1000); // the lead-in: the last report before the range (every second from 30 s before)
    expect(patrol.points.slice(1).every((p) => p[2] >= incident.fromMs && p[2] <= incident.toMs)).toBe(true);
    expect(patrol.points.length).toBe(sent.filter((m) => m.id === 'patrol-77' && m.ts >= incident.fromMs && m.ts <= incident.toMs).length + 1);
    // the real CLI: intact, then one byte changed in a copy, then a file gone in another
    const ok = verify(pkg.dir, dataA);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('VERIFIED');
    const okTar = verify(pkg.archive!, dataA);
    expect(okTar.status, okTar.stdout + okTar.stderr).toBe(0);
    expect(okTar.stdout).toContain(`VERIFIED: ${manifest.files.length} file(s)`);
    const edited = join(tmp('kuzet-pkg-edit-'), 'pkg');
    cpSync(pkg.dir, edited, { recursive: true });
    const bytes = readFileSync(join(edited, 'journal.json'));
    const at = bytes.indexOf('"claimed"') + 2; // claimed -> dlaimed: one byte, still valid JSON
    bytes[at] = bytes[at]! + 1;
    writeFileSync(join(edited, 'journal.json'), bytes);
    spawnSync('tar', ['-cf', `${edited}.tar`, '-C', join(edited, '..'), 'pkg']);
    const badTar = verify(`${edited}.tar`, dataA);
    expect(badTar.status).toBe(1);
    expect(badTar.stdout).toMatch(/journal\.json: SHA-256 .* does not match/);
    const bad = verify(edited, dataA);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('REJECTED');
    expect(bad.stdout).toMatch(/journal\.json: SHA-256 .* does not match/);
    expect(bad.stdout).not.toMatch(/alarms\.json|events\.json|\.mp4/); // only the edited file is named
    // units.json is signed like the other data files: one byte changed fails verify, naming only it
    const editedUnits = join(tmp('kuzet-pkg-units-'), 'pkg');
    cpSync(pkg.dir, editedUnits, { recursive: true });
    const ub = readFileSync(join(editedUnits, 'units.json'));
    const ua = ub.indexOf('"patrol-77"') + 2; // patrol -> qatrol
    ub[ua] = ub[ua]! + 1;
    writeFileSync(join(editedUnits, 'units.json'), ub);
    const badUnits = verify(editedUnits, dataA);
    expect(badUnits.status).toBe(1);
    expect(badUnits.stdout).toMatch(/units\.json: SHA-256 .* does not match/);
    expect(badUnits.stdout).not.toMatch(/journal\.json|alarms\.json|events\.json|\.mp4/);
    // a package made before units.json (the file and its manifest line removed, signed again by the same key) still
    // verifies and reads: it replays without unit tracks
    const older = join(tmp('kuzet-pkg-older-'), 'pkg');
    cpSync(pkg.dir, older, { recursive: true });
    rmSync(join(older, 'units.json'));
    const om = JSON.parse(readFileSync(join(older, MANIFEST_FILE), 'utf8')) as Manifest;
    om.files = om.files.filter((f) => f.name !== 'units.json');
    const omBytes = manifestBytes(om);
    writeFileSync(join(older, MANIFEST_FILE), omBytes);
    writeFileSync(join(older, SIGNATURE_FILE), signManifest(omBytes, loadOrCreateSigningKey(dataA).privateKey) + '\n');
    const olderOk = verify(older, dataA);
    expect(olderOk.status, olderOk.stdout).toBe(0);
    const olderRead = await readIncidentPackage(older);
    expect(olderRead.units).toBeNull();
    expect(olderRead.zones).not.toBeNull(); // zones.json left in: only units.json is missing
    expect(olderRead.journal.record).toEqual(record);
    const missing = join(tmp('kuzet-pkg-miss-'), 'pkg');
    cpSync(pkg.dir, missing, { recursive: true });
    rmSync(join(missing, videos[0]!));
    const gone = verify(missing, dataA);
    expect(gone.status).toBe(1);
    expect(gone.stdout).toContain(`${videos[0]} is missing`);
    await stopConsole();

    // a second console, a fresh data dir: the tampered copy is refused, the package imports and replays the same states
    const dataB = tmp('kuzet-pkg-b-');
    const b = await startConsole(dataB);
    const refused = await b.raw('replay.packages.import', { path: edited, operator: user });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(JSON.stringify(refused)).toContain('journal.json');
    expect(await b.call('replay.incidents.list', {})).toEqual([]);
    const imported = await b.call('replay.packages.import', { path: pkg.archive!, operator: user }); // the .tar, as carried to another console
    expect(imported).toMatchObject({ incidentId: incident.id, actions: record.actions.length });
    rmSync(pkg.dir, { recursive: true }); // replay works from the imported copy alone
    rmSync(pkg.archive!);
    expect((await b.call('replay.incidents.list', {})).map((i) => i.id)).toEqual([incident.id]);
    expect(await b.call('replay.incidents.get', { id: incident.id })).toEqual(record);
    // the package's zones, as A had them when it packaged (not A's now, nor B's: the replay view draws these)
    expect(await b.call('replay.footage.zones', { id: incident.id })).toEqual({ source: 'package', cameras: [{ cameraId: CAM, zones: zonesA }] });
    expect(await alarmMarks(b)).toEqual(marksA); // the package's alarms.json marks the imported timeline alike
    expect(await evidenceMarks(b)).toEqual(evidenceA); // and its evidence.json: the bookmark inside the range and the lock
    for (const [k, t] of moments.entries()) expect(await b.call('replay.stateAt', { id: incident.id, atMs: t }), `at ${t}`).toEqual(statesA[k]);
    // B has no tracks, events or recordings of its own: its answers come from the package, and equal A's
    expect((await b.call('units.tracks', { fromMs: incident.fromMs - 60_000, toMs: incident.toMs })).tracks).toEqual([]);
    expect((await b.call('events.query', { cameraId: CAM, fromMs: incident.fromMs, toMs: incident.toMs })).events).toEqual([]);
    const shellB = consoles.shell!.info;
    expect((await fetch(`${shellB.origin}/rec/thumb/${CAM}/${thumbMoments[0]}.jpg?token=${shellB.token}`)).status).toBe(404);
    const answersB = await replayAnswers(b, shellB.origin, shellB.token, incident.id, CAM, windows, thumbMoments);
    for (const k of windows.keys()) {
      expect(answersB.tracks[k], `tracks of window ${k}`).toEqual(answersA.tracks[k]);
      expect(answersB.events[k], `events of window ${k}`).toEqual(answersA.events[k]);
    }
    expect((await fetch(`${shellB.origin}/rec/pkg/${incident.id}/${CAM}/${thumbMoments[0]}.jpg`)).status).toBe(403); // no token
    // the thumbnails: B's (cut from the package's pieces) show A's picture at each moment, not the one 2.5 s later
    const away = pictureOf(answersA.thumbs[3]!.jpeg);
    const lines: string[] = [];
    for (const [k, t] of thumbMoments.entries()) {
      expect(answersB.thumbs[k]!.status, `thumbnail at ${t}`).toBe(200);
      const shown = pictureOf(answersB.thumbs[k]!.jpeg);
      const same = pictureError(shown, pictureOf(answersA.thumbs[k]!.jpeg));
      lines.push(`${t - incident.fromMs}: same ${same.luma.toFixed(2)}/${same.chroma.toFixed(2)}`);
      expect(same.luma, lines.join('; ')).toBeLessThan(1.5); // the same recorded frame, or its neighbour
      expect(same.chroma, lines.join('; ')).toBeLessThan(1.5);
    }
    const other = pictureError(pictureOf(answersB.thumbs[0]!.jpeg), away);
    lines.push(`2.5 s away: ${other.luma.toFixed(2)}/${other.chroma.toFixed(2)}`);
    const first = pictureError(pictureOf(answersB.thumbs[0]!.jpeg), pictureOf(answersA.thumbs[0]!.jpeg));
    expect(other.luma + other.chroma, lines.join('; ')).toBeGreaterThan(first.luma + first.chroma + 1.5); // the check can fail
    console.log(`package thumbnails vs A's (luma/chroma error, 0-255): ${lines.join('; ')}`);
    expect(await b.raw('replay.packages.import', { path: imported.dir, operator: user })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const again = verify(imported.dir, dataA); // pinned to the key of the console that made it
    expect(again.status, again.stdout).toBe(0);
  }, 300_000);
});
