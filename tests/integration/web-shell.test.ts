/**
 * The web shell as a user and an attacker meet it: the real host process on loopback, its token, its contract
 * validation and bad input. No simulator here (no --demo): the registry starts empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebShell, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';

let shell: RunningShell;
let api: ApiClient;

beforeAll(async () => {
  shell = await startWebShell();
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
});
afterAll(async () => { api?.close(); await shell?.close(); });

function tryWs(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => { ws.close(); resolve('open'); });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(0));
  });
}

describe('web shell', () => {
  it('binds to 127.0.0.1 and serves the renderer with a strict CSP', async () => {
    expect(shell.info.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(shell.info.origin + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('app.js');
    expect((await fetch(shell.info.origin + '/../package.json')).status).toBe(404);
  });

  it('refuses API and frame sockets without the per-start token or from a foreign origin', async () => {
    const ws = shell.info.origin.replace('http', 'ws');
    expect(await tryWs(`${ws}/api`)).toBe(403);
    expect(await tryWs(`${ws}/api?token=wrong`)).toBe(403);
    expect(await tryWs(`${ws}/frames?token=${'x'.repeat(shell.info.token.length)}`)).toBe(403);
    expect(await tryWs(`${ws}/api?token=${shell.info.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await tryWs(`${ws}/api?token=${shell.info.token}`)).toBe('open');
  });

  it('answers unknown methods and invalid params with clear errors and keeps working', async () => {
    const unknown = await api.raw('cameras.format_disk', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const invalid = await api.raw('streams.pin', { cameraId: 'BAD ID', pinned: 'yes' });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.error.message).toMatch(/cameraId/);
    const info = await api.call('session.info', {});
    expect(info.shell).toBe('web');
    expect(info.framesUrl).toContain(`token=${shell.info.startToken}`); // the renderer puts its session token in place of it
  });

  it('rejects an 8,000-character name and shell metacharacters in a URL, and saves nothing', async () => {
    const long = await api.raw('cameras.add', { camera: { name: 'x'.repeat(8000), mainUrl: 'rtsp://127.0.0.1:1/a' }, probe: false });
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.message).toMatch(/name/i);
    const evil = await api.raw('cameras.add', { camera: { name: 'Evil', mainUrl: 'rtsp://127.0.0.1/a;rm -rf /' }, probe: false });
    expect(evil.ok).toBe(false);
    const ftp = await api.raw('cameras.add', { camera: { name: 'Ftp', mainUrl: 'ftp://127.0.0.1/a' }, probe: false });
    expect(ftp.ok).toBe(false);
    if (!ftp.ok) expect(ftp.error.message).toMatch(/not allowed/);
    expect(await api.call('cameras.list', {})).toEqual([]);
  });

  it('adds a camera without leaking its password to the renderer', async () => {
    const cam = await api.call('cameras.add', { camera: { name: 'Gate 1', mainUrl: 'rtsp://admin:s3cret@127.0.0.1:9/gate', kind: 'fixed' }, probe: false });
    expect(cam.hasCredentials).toBe(true);
    expect(JSON.stringify(cam)).not.toContain('s3cret');
    const exported = await api.call('cameras.export', { format: 'csv' });
    expect(exported.text).not.toContain('s3cret');
    expect(shell.stderr()).not.toContain('s3cret');
  });
});
