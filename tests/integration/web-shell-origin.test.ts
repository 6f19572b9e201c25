/**
 * DNS rebinding and foreign pages against the real web shell: with a valid token, a request naming another Host, or
 * coming from another page (Origin null, file://, another site), is refused with 403 and the reason, on every route:
 * pages, the API and frame WebSockets, and the /rec/ recording routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startWebShell, type RunningShell } from '../support/harness.js';

let shell: RunningShell;
beforeAll(async () => { shell = await startWebShell(); });
afterAll(async () => { await shell?.close(); });

function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: shell.info.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function ws(path: string, headers: Record<string, string>): Promise<{ status: number | 'open'; body: string }> {
  return new Promise((resolve) => {
    const sock = new WebSocket(`ws://127.0.0.1:${shell.info.port}${path}`, { headers });
    sock.once('open', () => { sock.close(); resolve({ status: 'open', body: '' }); });
    sock.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    sock.once('error', () => resolve({ status: 0, body: '' }));
  });
}

describe('web shell: Host and Origin', () => {
  const own = () => `127.0.0.1:${shell.info.port}`;
  const t = () => `token=${shell.info.token}`;

  it('serves its own host and page (127.0.0.1 or localhost)', async () => {
    expect((await get('/', { host: own() })).status).toBe(200);
    expect((await get('/', { host: `localhost:${shell.info.port}` })).status).toBe(200);
    expect((await ws(`/api?${t()}`, { host: own(), origin: `http://${own()}` })).status).toBe('open');
    expect((await ws(`/frames?${t()}`, { host: `localhost:${shell.info.port}`, origin: `http://localhost:${shell.info.port}` })).status).toBe('open');
    expect((await ws(`/api?${t()}`, { host: own() })).status).toBe('open'); // no Origin: a program, not a page
  });

  it.each(['/', '/healthz', '/app.js', '/rec/thumb/gate-1/1700000000000.jpg'])('refuses a rebinding Host on %s, token or not', async (path) => {
    const r = await get(`${path}${path.startsWith('/rec/') ? `?${t()}` : ''}`, { host: `attacker.example:${shell.info.port}` });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/Host 'attacker\.example:\d+' is not this console/);
  });

  it.each([
    ['a rebinding Host', { host: 'attacker.example' }, /Host 'attacker\.example' is not this console/],
    ['Origin null', { origin: 'null' }, /Origin 'null' is not this console's page/],
    ['Origin file://', { origin: 'file://' }, /Origin 'file:\/\/' is not/],
    ['another site', { origin: 'http://attacker.example' }, /is not this console's page/],
  ])('refuses API and frame sockets with a valid token from %s', async (_what, h, why) => {
    for (const path of ['/api', '/frames']) {
      const r = await ws(`${path}?${t()}`, { host: own(), ...h });
      expect(r.status, path).toBe(403);
      expect(r.body, path).toMatch(why);
    }
  });

  it('refuses the /rec/ routes with a valid token from another page', async () => {
    const r = await get(`/rec/seg/gate-1/1700000000000.mp4?${t()}`, { host: own(), origin: 'null' });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/Origin 'null'/);
    // same request from its own page reaches the route (nothing recorded: 404)
    expect((await get(`/rec/seg/gate-1/1700000000000.mp4?${t()}`, { host: own(), origin: `http://${own()}` })).status).toBe(404);
  });
});
