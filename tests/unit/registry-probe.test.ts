import { describe, expect, it } from 'vitest';
import { classifyProbeError, probeArgs, readProbeJson } from '../../electron/host/cameras/probe.js';

describe('probe classification', () => {
  it.each([
    ['[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized\nrtsp://127.0.0.1/x: Server returned 401 Unauthorized (authorization failed)', 'auth'],
    ['rtsp://127.0.0.1:1/x: Connection refused', 'unreachable'],
    ['rtsp://10.9.9.9/x: No route to host', 'unreachable'],
    ['rtsp://cam.invalid/x: Name or service not known', 'unreachable'],
    ['rtsp://10.0.0.1/x: Connection timed out', 'unreachable'],
    ['[rtsp @ 0x5] method DESCRIBE failed: 404 Not Found', 'invalid'],
    ['/srv/clips/x.mp4: No such file or directory', 'invalid'],
    ['rtsp://h/x: Invalid data found when processing input', 'invalid'],
  ])('%s -> %s', (stderr, kind) => {
    expect(classifyProbeError(stderr).errorKind).toBe(kind);
  });

  it('redacts credentials from an unknown error', () => {
    const r = classifyProbeError('rtsp://admin:hunter2@10.0.0.1/x: Something odd happened');
    expect(r.errorKind).toBe('other');
    expect(r.error).not.toContain('hunter2');
    expect(r.error).toContain('Something odd happened');
  });

  it('reads codec, size and fps, and rejects codecs Kuzet cannot decode', () => {
    const json = (codec: string, rate = '25/1') => JSON.stringify({ streams: [
      { codec_type: 'audio', codec_name: 'aac' },
      { codec_type: 'video', codec_name: codec, width: 1920, height: 1080, avg_frame_rate: '0/0', r_frame_rate: rate },
    ] });
    expect(readProbeJson(json('hevc', '30000/1001'))).toEqual({ ok: true, codec: 'hevc', width: 1920, height: 1080, fps: 29.97 });
    expect(readProbeJson(json('mjpeg'))).toMatchObject({ ok: false, errorKind: 'codec', error: 'unsupported codec mjpeg: Kuzet decodes H.264 and H.265' });
    expect(readProbeJson(JSON.stringify({ streams: [{ codec_type: 'audio' }] }))).toMatchObject({ ok: false, errorKind: 'invalid', error: 'the stream has no video' });
    expect(readProbeJson('not json')).toMatchObject({ ok: false, errorKind: 'invalid' });
  });

  it('uses TCP and a socket timeout for RTSP only', () => {
    expect(probeArgs('rtsp://h/x', 8000)).toEqual(['-v', 'error', '-rtsp_transport', 'tcp', '-timeout', '6000000', '-show_streams', '-of', 'json', 'rtsp://h/x']);
    expect(probeArgs('https://h/x.m3u8', 8000)).toEqual(['-v', 'error', '-rw_timeout', '6000000', '-show_streams', '-of', 'json', 'https://h/x.m3u8']);
    expect(probeArgs('file:///srv/x.mp4')).toEqual(['-v', 'error', '-show_streams', '-of', 'json', 'file:///srv/x.mp4']);
  });
});

describe('probe classification ignores numbers in the URL', () => {
  it('a path with 401 or 404 in it is not an auth or path error', () => {
    expect(classifyProbeError('rtsp://h/Streaming/Channels/401: Connection refused').errorKind).toBe('unreachable');
    expect(classifyProbeError('rtsp://h/cam404: Connection refused').errorKind).toBe('unreachable');
  });
});
