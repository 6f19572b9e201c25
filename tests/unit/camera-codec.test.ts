/**
 * The probed codec reaches the pipeline builder (issue 9: H.265 cameras were streamed as H.264 because the
 * registry's resolved camera had no codec). Real ffprobe on real H.264 / H.265 files, the real registry and stream
 * service; the media worker is a stand-in that records the configuration the host sends it on stdin.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraRegistry, streamOf } from '../../electron/host/cameras/registry.js';
import { videoCodecOf } from '../../electron/host/cameras/probe.js';
import { createLogger } from '../../electron/host/log.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';
import { StreamService } from '../../electron/host/streams/service.js';
import { waitFor } from '../support/harness.js';

const log = createLogger({ quiet: true });
let dir: string;

function encode(file: string, codec: 'libx264' | 'libx265'): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=25:d=0.4', '-c:v', codec,
    ...(codec === 'libx265' ? ['-x265-params', 'log-level=error'] : []), '-pix_fmt', 'yuv420p', '-f', 'mp4', join(dir, file)]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-codec-'));
  encode('h265.mp4', 'libx265');
  encode('h264.mp4', 'libx264');
  // stands in for media_worker.py: writes the first stdin line (the host's configuration) to <dir>/<pid>.json
  writeFileSync(join(dir, 'worker.mjs'), `
    import { writeFileSync } from 'node:fs';
    let text = '';
    process.stdin.on('data', (d) => {
      text += d;
      const nl = text.indexOf('\\n');
      if (nl >= 0) writeFileSync(${JSON.stringify(dir)} + '/' + process.pid + '.json', text.slice(0, nl));
    });
    setInterval(() => {}, 1000);
  `);
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('codec from probe to pipeline', () => {
  it('maps ffprobe codec names to Kuzet codecs, and a profile to its stream', () => {
    expect(videoCodecOf('hevc')).toBe('h265');
    expect(videoCodecOf('h264')).toBe('h264');
    expect(videoCodecOf('mpeg4')).toBeUndefined();
    expect(videoCodecOf(undefined)).toBeUndefined();
    const cam = { mainUrl: 'rtsp://a/main', subUrl: 'rtsp://a/sub', mainCodec: 'h265' as const, subCodec: 'h264' as const };
    expect(streamOf(cam, 'main')).toEqual({ url: 'rtsp://a/main', codec: 'h265' });
    expect(streamOf(cam, 'sub')).toEqual({ url: 'rtsp://a/sub', codec: 'h264' });
    // no sub-stream: the sub profile connects to the main stream, with the main stream's codec
    expect(streamOf({ mainUrl: 'rtsp://b/main', mainCodec: 'h265' }, 'sub')).toEqual({ url: 'rtsp://b/main', codec: 'h265' });
    // never probed: H.264 is assumed
    expect(streamOf({ mainUrl: 'rtsp://c/main' }, 'main').codec).toBe('h264');
  });

  it('resolves the probed codec of each stream, and the stream service builds the matching pipeline', async () => {
    const registry = new CameraRegistry({ dataDir: dir, secrets: new FileKeySecretBox(dir), log, fileRoots: () => [dir] });
    const hevc = await registry.add({ id: 'hevc-cam', name: 'HEVC camera', mainUrl: pathToFileURL(join(dir, 'h265.mp4')).href }, { probe: true });
    const avc = await registry.add({ id: 'avc-cam', name: 'AVC camera', mainUrl: pathToFileURL(join(dir, 'h264.mp4')).href }, { probe: true });
    expect(hevc.probe?.main).toMatchObject({ ok: true, codec: 'hevc' });
    expect(avc.probe?.main).toMatchObject({ ok: true, codec: 'h264' });
    expect(registry.resolve('hevc-cam')?.mainCodec).toBe('h265');
    expect(registry.resolve('avc-cam')?.mainCodec).toBe('h264');

    const svc = new StreamService({
      resolve: (id) => registry.resolve(id), python: process.execPath, workerPath: join(dir, 'worker.mjs'),
      governor: false, cores: 2, tag: 'kuzet-codec-test', log,
    });
    try {
      // both tiles are in a window that decodes H.264 itself: only the H.264 camera may travel compressed
      svc.setDemand('c1', [{ cameraId: 'hevc-cam', width: 320, height: 180, browserDecode: true },
        { cameraId: 'avc-cam', width: 320, height: 180, browserDecode: true }]);
      const configs = await waitFor('both workers configured', () => {
        const pids = ['hevc-cam', 'avc-cam'].map((id) => svc.workerPids(id)[0]);
        if (pids.some((p) => p === undefined || !existsSync(join(dir, `${p}.json`)))) return null;
        return pids.map((p) => JSON.parse(readFileSync(join(dir, `${p}.json`), 'utf8')) as { pipeline: string; encoded: boolean });
      }, 15_000, 50);
      const [h265, h264] = configs as [{ pipeline: string; encoded: boolean }, { pipeline: string; encoded: boolean }];
      expect(h265.pipeline).toContain('rtph265depay');
      expect(h265.pipeline).toContain('avdec_h265');
      expect(h265.pipeline).not.toContain('h264');
      expect(h265.encoded).toBe(false);
      expect(h264.pipeline).toContain('rtph264depay');
      expect(h264.pipeline).not.toContain('265');
      expect(h264.encoded).toBe(true);
      expect(svc.statuses().find((s) => s.cameraId === 'hevc-cam')).toMatchObject({ codec: 'h265', encoded: false });
      expect(svc.statuses().find((s) => s.cameraId === 'avc-cam')).toMatchObject({ codec: 'h264', encoded: true });
    } finally {
      await svc.stopAll();
    }
  });
});
