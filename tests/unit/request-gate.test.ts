/** The request gate on its own: which Host and Origin headers each shell's server takes (request-gate.ts). */
import { describe, expect, it } from 'vitest';
import { requestGate } from '../../electron/host/request-gate.js';

describe('request gate', () => {
  const web = requestGate({ bind: '127.0.0.1', port: 8123 });
  const desktop = requestGate({ bind: '127.0.0.1', port: 8123, fileOrigins: true });

  it('takes its own loopback host and origin, with or without an Origin header', () => {
    for (const host of ['127.0.0.1:8123', 'localhost:8123', 'LOCALHOST:8123']) expect(web({ host }), host).toBeNull();
    expect(web({ host: '127.0.0.1:8123', origin: 'http://127.0.0.1:8123' })).toBeNull();
    expect(web({ host: 'localhost:8123', origin: 'http://localhost:8123' })).toBeNull();
  });

  it.each([
    ['evil.example:8123', undefined, /Host 'evil.example:8123' is not this console/],
    ['127.0.0.1.nip.io:8123', undefined, /is not this console/],
    ['127.0.0.1:9999', undefined, /is not this console/],
    ['127.0.0.1', undefined, /is not this console/],
    [undefined, undefined, /no Host header/],
    ['127.0.0.1:8123', 'null', /Origin 'null' is not this console's page/],
    ['127.0.0.1:8123', 'file://', /Origin 'file:\/\/' is not/],
    ['127.0.0.1:8123', 'http://evil.example:8123', /Origin 'http:\/\/evil.example:8123' is not/],
    ['127.0.0.1:8123', 'https://127.0.0.1:8123', /is not this console's page/],
  ])('the web shell refuses Host %j with Origin %j', (host, origin, why) => {
    expect(web({ host, origin })).toMatch(why);
  });

  it('the desktop shell (file:// windows) also takes Origin null and file://, still not a foreign Host or page', () => {
    expect(desktop({ host: '127.0.0.1:8123', origin: 'null' })).toBeNull();
    expect(desktop({ host: '127.0.0.1:8123', origin: 'file://' })).toBeNull();
    expect(desktop({ host: 'evil.example:8123', origin: 'file://' })).toMatch(/is not this console/);
    expect(desktop({ host: '127.0.0.1:8123', origin: 'http://evil.example' })).toMatch(/is not this console's page/);
  });

  it('bound elsewhere: the bound address and the configured names, not localhost', () => {
    const lan = requestGate({ bind: '10.1.2.3', port: 443, allowedHosts: ['wall-2.centre.kz'] });
    expect(lan({ host: '10.1.2.3:443' })).toBeNull();
    expect(lan({ host: 'wall-2.centre.kz:443', origin: 'http://wall-2.centre.kz:443' })).toBeNull();
    expect(lan({ host: 'localhost:443' })).toMatch(/is not this console/);
    expect(lan({ host: 'other.centre.kz:443' })).toMatch(/--allow-host/);
  });
});
