/**
 * Incident packages against real processes (issue 11 §1): a simulator camera records through the web shell host, the
 * wall's layout changes, an alarm raised over MQTT is claimed and resolved; the incident's package holds the camera's
 * own H.264 (not re-encoded), the journal, the alarm with its history and the event, signed; the real `kuzet verify`
 * accepts it and rejects it with one byte changed or a file gone (naming the file); a second console with a fresh data
 * dir refuses the tampered copy, imports the package and replays the same console states from it alone.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { INCIDENT_PACKAGE_FORMAT, PackageAlarms, PackageEvents, PackageJournal } from '../../electron/contract/replay-package.js';
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

describe('incident package', () => {
  it('packages a recorded incident, verifies with kuzet verify, is refused when tampered, and replays on another console', async () => {
    const dataA = tmp('kuzet-pkg-a-');
    const a = await startConsole(dataA);
    const user = consoles.shell!.info.user ?? 'admin';
    pub = await mqtt.connectAsync((await a.call('alarms.info', {})).mqttUrl, { clientId: 'it-incident-package' });
    await addRecordedCameras(a, sim(), [CAM]);
    const alarm = await actOutIncident(a, pub, CAM, 'it-pkg-1', user);

    const incident = await a.call('replay.incidents.fromAlarm', { alarmId: alarm.id, beforeMin: 0.3, afterMin: 0.05, operator: user });
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
    const pkg = await a.call('replay.packages.create', { id: incident.id, operator: user, archive: true });
    expect(pkg.archive).toBe(`${pkg.dir}.tar`);
    const names = readdirSync(pkg.dir).sort();
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig', 'public-key.pem', 'README.txt', 'journal.json', 'alarms.json', 'events.json']));
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
    expect(events.cameras.find((c) => c.cameraId === CAM)?.events.map((e) => e.id)).toContain('it-pkg-1');

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
    expect(await alarmMarks(b)).toEqual(marksA); // the package's alarms.json marks the imported timeline alike
    for (const [k, t] of moments.entries()) expect(await b.call('replay.stateAt', { id: incident.id, atMs: t }), `at ${t}`).toEqual(statesA[k]);
    expect(await b.raw('replay.packages.import', { path: imported.dir, operator: user })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const again = verify(imported.dir, dataA); // pinned to the key of the console that made it
    expect(again.status, again.stdout).toBe(0);
  }, 300_000);
});
