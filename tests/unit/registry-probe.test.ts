import { describe, expect, it } from 'vitest';
import { classifyProbeError, keyframeInterval, probeArgs, readProbeJson } from '../../electron/host/cameras/probe.js';

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
    const read = ['-show_streams', '-show_entries', 'packet=stream_index,pts_time,dts_time,flags', '-read_intervals', '%+2.5', '-of', 'json'];
    expect(probeArgs('rtsp://h/x', 8000)).toEqual(['-v', 'error', '-rtsp_transport', 'tcp', '-timeout', '6000000', ...read, 'rtsp://h/x']);
    expect(probeArgs('https://h/x.m3u8', 8000)).toEqual(['-v', 'error', '-rw_timeout', '6000000', ...read, 'https://h/x.m3u8']);
    expect(probeArgs('file:///srv/x.mp4')).toEqual(['-v', 'error', ...read, 'file:///srv/x.mp4']);
  });

  it('times the key frames of the video stream: the mean gap, or a lower bound with fewer than two', () => {
    const at = (ts: number[], keys: number[]) => ts.map((t) => ({ t, key: keys.includes(t) }));
    const frames = Array.from({ length: 63 }, (_, i) => Math.round(i * 0.04 * 1000) / 1000);
    expect(keyframeInterval(at(frames, [0, 0.52, 1, 1.52, 2, 2.48]))).toEqual({ keyframeIntervalMs: 496 });
    expect(keyframeInterval(at(frames, [0.4, 1.4]))).toEqual({ keyframeIntervalMs: 1000 });
    expect(keyframeInterval(at(frames, [0.6]))).toEqual({ keyframeIntervalMs: 1880, keyframeIntervalAtLeast: true });
    expect(keyframeInterval(at(frames, []))).toEqual({ keyframeIntervalMs: 2480, keyframeIntervalAtLeast: true });
    expect(keyframeInterval(at([0.5], [0.5]))).toEqual({});
    const json = JSON.stringify({
      streams: [{ index: 0, codec_type: 'audio', codec_name: 'aac' }, { index: 1, codec_type: 'video', codec_name: 'h264', width: 640, height: 360, r_frame_rate: '25/1' }],
      packets: [
        { stream_index: 0, pts_time: '0.000', flags: 'K_' }, { stream_index: 0, pts_time: '0.300', flags: 'K_' }, // audio: every packet is a key
        { stream_index: 1, pts_time: '0.000', flags: 'K_' }, { stream_index: 1, pts_time: '0.500', flags: '__' },
        { stream_index: 1, dts_time: '1.000', flags: 'K_' }, { stream_index: 1, pts_time: 'N/A', flags: 'K_' },
      ],
    });
    expect(readProbeJson(json)).toEqual({ ok: true, codec: 'h264', width: 640, height: 360, fps: 25, keyframeIntervalMs: 1000 });
    expect(readProbeJson('null')).toMatchObject({ ok: false, errorKind: 'invalid', error: 'the stream has no video' });
    expect(readProbeJson(JSON.stringify({ streams: [{ index: 0, codec_type: 'video', codec_name: 'h264' }], packets: 'x' }))).toEqual({ ok: true, codec: 'h264' });
  });
});

describe('probe classification ignores numbers in the URL', () => {
  it('a path with 401 or 404 in it is not an auth or path error', () => {
    expect(classifyProbeError('rtsp://h/Streaming/Channels/401: Connection refused').errorKind).toBe('unreachable');
    expect(classifyProbeError('rtsp://h/cam404: Connection refused').errorKind).toBe('unreachable');
  });
});
