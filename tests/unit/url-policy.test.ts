import { describe, expect, it } from 'vitest';
import { checkStreamUrl, splitCredentials, withCredentials } from '../../electron/host/cameras/url-policy.js';

const opts = { fileRoots: ['/srv/clips', '/media/evidence/'], label: 'main stream URL' };
const check = (url: string) => checkStreamUrl(url, opts);
const message = (url: string) => { const r = check(url); return r.ok ? 'ACCEPTED' : r.message; };

describe('url policy', () => {
  it.each([
    'rtsp://10.0.0.5:554/Streaming/Channels/101',
    'rtsps://cam.city.kz/live',
    'http://hls.local/cam1/index.m3u8',
    'https://hls.local/cam1/index.m3u8?token=abc',
    'srt://drone-gw:9000?streamid=drone1',
    'rtmp://relay/live/robot7',
    'RTSP://UPPER.case/ok',
  ])('accepts %s', (url) => {
    const r = check(url);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.url).toBe(url);
  });

  it('names the protocol and the allowed list', () => {
    expect(message('ftp://host/file.mp4')).toBe("main stream URL: protocol 'ftp' is not allowed (allowed: rtsp, rtsps, http, https, srt, rtmp, file)");
    expect(message('javascript:alert(1)')).toMatch(/protocol 'javascript' is not allowed/);
  });

  it.each([
    ['rtsp://host/a;rm -rf /', /whitespace|';'/],
    ['rtsp://host/a;reboot', /';'/],
    ['rtsp://host/$(id)', /'\$'/],
    ['rtsp://host/`id`', /'`'/],
    ['rtsp://host/a|b', /'\|'/],
    ['rtsp://host/a&b', /'&'/],
    ['rtsp://host/a>b', /'>'/],
    ["rtsp://host/a'b", /"'"/],
    ['rtsp://host/a"b', /'"'/],
    ['rtsp://host/a b', /whitespace/],
    ['rtsp://host/a\nb', /control character/],
    ['rtsp://host/\u0000', /control character/],
    ['rtsp://', /malformed|no host/],
    ['rtsp://host:99999/x', /malformed/],
    ['camera-7', /is not a URL/],
    ['', /empty/],
  ])('rejects %j', (url, why) => {
    expect(message(url)).toMatch(why);
    expect(message(url)).toMatch(/^main stream URL: /);
  });

  it('rejects over-long URLs', () => {
    expect(message(`rtsp://host/${'a'.repeat(3000)}`)).toMatch(/too long \(3012 characters, at most 2048\)/);
  });

  it('allows files only under the configured roots', () => {
    expect(check('file:///srv/clips/gate.mp4')).toMatchObject({ ok: true, url: 'file:///srv/clips/gate.mp4' });
    expect(check('/media/evidence/case 12.mp4')).toMatchObject({ ok: true, url: 'file:///media/evidence/case%2012.mp4' });
    expect(message('file:///etc/passwd')).toMatch(/\/etc\/passwd is outside the allowed folders/);
    expect(message('file:///srv/clips/../../etc/passwd')).toMatch(/'\.\.'|outside/);
    expect(message('file:///srv/clips/%2e%2e/secret.mp4')).toMatch(/'\.\.'|outside/);
    expect(message('file:///srv/clipsevil/x.mp4')).toMatch(/outside/);
    expect(message('file://otherhost/srv/clips/x.mp4')).toMatch(/must be local/);
    expect(checkStreamUrl('file:///srv/clips/x.mp4', { fileRoots: [] })).toMatchObject({ ok: false, message: expect.stringMatching(/file cameras are off/) });
  });

  it('moves credentials out of the URL, including passwords with @ and :', () => {
    expect(check('rtsp://admin:p%40ss@10.0.0.5/live')).toEqual({ ok: true, url: 'rtsp://10.0.0.5/live', protocol: 'rtsp', username: 'admin', password: 'p@ss' });
    expect(splitCredentials('rtsp://admin:p@ss:w;rd@10.0.0.5:554/live')).toEqual({ url: 'rtsp://10.0.0.5:554/live', username: 'admin', password: 'p@ss:w;rd' });
    expect(splitCredentials('rtsp://viewer@host/x')).toEqual({ url: 'rtsp://host/x', username: 'viewer' });
    expect(splitCredentials('rtsp://host/path@odd')).toEqual({ url: 'rtsp://host/path@odd' });
  });

  it('puts credentials back encoded', () => {
    const url = withCredentials('rtsp://10.0.0.5/live', 'admin', 'p@ss:w/rd');
    expect(url).toBe('rtsp://admin:p%40ss%3Aw%2Frd@10.0.0.5/live');
    expect(splitCredentials(url)).toEqual({ url: 'rtsp://10.0.0.5/live', username: 'admin', password: 'p@ss:w/rd' });
    expect(withCredentials('rtsp://h/x')).toBe('rtsp://h/x');
  });
});
