/**
 * A follow outlives a host restart, and acts with the rights of the operator who started it (issue 10 §3, issue 12).
 * Real web shells on one data dir, the real MQTT broker: a user who may view only two of three cameras follows a unit;
 * the camera that sees the unit best is one they may not see, so it is never put on the wall, nor the unit's own video.
 * The host is stopped and started again on the same data dir: the follow is back (follows.json) and the next report over
 * the new broker hands the same follow tile over. Then the user loses viewLive and the next report ends the follow with
 * a translated notice, and the map's clients receive the reason (`follow.ended`, no user name).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import type { UnitTelemetry } from '../../electron/contract/units-schema.js';
import { FollowEnd, type FollowStatus } from '../../electron/contract/follow-api.js';

const M = 111_320;
const O: [number, number] = [76.95, 43.25];
/** x metres east and y metres north of O, as [lon, lat]. */
const at = (x: number, y: number): [number, number] => [O[0] + x / (M * Math.cos((O[1] * Math.PI) / 180)), O[1] + y / M];

const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-follow-restart-'));
const open: Array<{ close(): unknown }> = [];
let shell: RunningShell | null = null;
let pub: MqttClient | null = null;

afterAll(async () => {
  await pub?.endAsync(true);
  for (const c of open) c.close();
  await shell?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the host on the shared data dir: the administrator's API and a publisher on this run's broker. */
async function startHost(): Promise<{ admin: ApiClient; pub: MqttClient }> {
  shell = await startWebShell({ dataDir, env: { KUZET_MQTT_PORT: '0' } });
  const admin = await ApiClient.connect(shell.info.origin, shell.info.token);
  open.push(admin);
  pub = await mqtt.connectAsync((await admin.call('alarms.info', {})).mqttUrl, { clientId: `follow-restart-${Date.now()}` });
  return { admin, pub };
}

let ts = Date.now();
async function report(admin: ApiClient, p: [number, number]): Promise<void> {
  ts += 1000;
  const t: UnitTelemetry = { v: 1, id: 'robot-88', kind: 'robot', lon: p[0], lat: p[1], heading: 90, ts, cameraId: 'robot88-cam' };
  await pub!.publishAsync('kuzet/units/robot-88', JSON.stringify(t), { qos: 1 });
  await waitFor('the report in the unit store', async () => (await admin.call('units.list', {})).units.some((u) => u.id === 'robot-88' && u.ts === ts));
}
const cellsOf = async (api: ApiClient) => (await api.call('wall.displays', {})).find((x) => x.id === 'main')!.layout.cells.map((c) => c.cameraId ?? null);

describe('a follow across a host restart, with the operator\'s rights', () => {
  it('restores the follow, hands the same tile over after the restart, never shows a camera the operator may not see', async () => {
    let { admin } = await startHost();
    const cam = (id: string, p: [number, number], heading: number, kind: 'fixed' | 'robot' = 'fixed') => admin.call('cameras.add', { probe: false, camera: {
      id, name: id, mainUrl: 'rtsp://127.0.0.1:9/none', kind, ...(kind === 'fixed' ? { location: { lon: p[0], lat: p[1], heading, fov: 90 } } : {}) } });
    await cam('fr-west', at(0, 0), 90); // looks east from O
    await cam('fr-east', at(100, 0), 270); // looks west from 100 m east
    await cam('fr-behind', at(20, -30), 0); // looks north at the unit's path: it sees (20, 2) on its axis, the best
    await cam('robot88-cam', at(0, 0), 0, 'robot');
    await admin.call('access.users.save', { user: { name: 'fr-limited', password: 'long-enough-1', roles: [],
      grants: [{ rights: ['viewLive'], scope: { kind: 'cameras', ids: ['fr-west', 'fr-east'] } }] } });

    await report(admin, at(20, 2));
    const limitedToken = await signIn(shell!.info.origin, shell!.info.startToken, 'fr-limited', 'long-enough-1');
    const limited = await ApiClient.connect(shell!.info.origin, limitedToken);
    open.push(limited);
    const started = await limited.call('follow.start', { displayId: 'main', unitId: 'robot-88' });
    // fr-behind sees the unit best, but fr-limited may not view it: fr-west (5.7 degrees off its axis) goes on the tile
    expect(started).toMatchObject({ unitId: 'robot-88', cameraId: 'fr-west', handovers: 0 });
    const cell = started.cellIndex!;
    expect(cell).not.toBeNull();
    let cells = await cellsOf(admin);
    expect(cells[cell]).toBe('fr-west');
    expect(cells).not.toContain('fr-behind');
    expect(cells).not.toContain('robot88-cam'); // the unit's own video: fr-limited may not see it
    limited.close();

    // saved in the data dir, with the operator
    const saved = JSON.parse(readFileSync(join(dataDir, 'follows.json'), 'utf8')) as { follows: Array<Record<string, unknown>> };
    expect(saved.follows).toEqual([expect.objectContaining({ displayId: 'main', unitId: 'robot-88', operator: 'fr-limited', cameraId: 'fr-west', cellIndex: cell })]);

    // the host stops and starts again on the same data dir (a new broker port, a new publisher)
    await pub!.endAsync(true);
    await shell!.close();
    ({ admin } = await startHost());
    const restored = await waitFor('the follow restored', async () => (await admin.call('follow.list', {})).find((f) => f.displayId === 'main') ?? null);
    expect(restored).toMatchObject({ unitId: 'robot-88', cameraId: 'fr-west', cellIndex: cell, handovers: 0, since: started.since });
    expect((await cellsOf(admin))[cell]).toBe('fr-west');

    // the next reports: into fr-behind's best view (not picked), then into fr-east's cone only: handover onto the same tile
    await report(admin, at(20, 2));
    await report(admin, at(85, 2));
    const after = await waitFor('the handover after the restart', async () => {
      const f = (await admin.call('follow.list', {})).find((x) => x.displayId === 'main');
      return f?.cameraId === 'fr-east' ? f : null;
    });
    expect(after).toMatchObject({ cellIndex: cell, handovers: 1, error: null });
    cells = await cellsOf(admin);
    expect(cells[cell]).toBe('fr-east');
    expect(cells).not.toContain('fr-behind');
    expect(admin.events.some((e) => e.event === 'follow.changed' && (e.payload as FollowStatus[]).some((f) => f.cameraId === 'fr-east' && f.cellIndex === cell))).toBe(true);

    // fr-limited loses viewLive: the next report ends the follow, with a notice that says why, in the console's languages
    await admin.call('access.users.save', { user: { name: 'fr-limited', roles: [], grants: [] } });
    await report(admin, at(20, 2));
    await waitFor('the follow ended', async () => (await admin.call('follow.list', {})).length === 0);
    const notice = (await admin.call('notices.list', {})).find((n) => n.key === 'followEndedNoRight');
    expect(notice).toMatchObject({ params: { unit: 'robot-88', display: 'main' } });
    // what the map receives: the reason, before the follow list without the follow; no user name in it
    const { endedAt } = await waitFor('follow.ended on the client', async () => { const i = admin.events.findIndex((e) => e.event === 'follow.ended'); return i >= 0 ? { endedAt: i } : null; });
    const ended = admin.events[endedAt]!.payload;
    expect(FollowEnd.strict().parse(ended)).toMatchObject({ displayId: 'main', unitId: 'robot-88', reason: 'noRight' });
    expect(JSON.stringify(ended)).not.toContain('fr-limited');
    expect(admin.events.slice(endedAt + 1).some((e) => e.event === 'follow.changed' && (e.payload as FollowStatus[]).length === 0)).toBe(true);
    expect((await cellsOf(admin))[cell]).toBe('fr-east'); // the tile keeps its last camera
    expect((JSON.parse(readFileSync(join(dataDir, 'follows.json'), 'utf8')) as { follows: unknown[] }).follows).toEqual([]);
  }, 300_000);
});
