/** Helpers for tests and benchmarks of recording: a web shell with simulator cameras recording, ffprobe checks. */
import { execFileSync } from 'node:child_process';
import type { ApiClient } from './api-client.js';
import type { Simulator } from '../../native/simulator/control.js';
import { waitFor } from './harness.js';

/**
 * `subStream: false`: record the main stream alone (the sub-stream is recorded too by default, docs/recording.md).
 * `probe`: the registry probes each stream (its codec: an H.265 camera must be probed, unprobed means H.264).
 */
export async function addRecordedCameras(api: ApiClient, sim: Simulator, ids: string[], mode: 'continuous' | 'event' = 'continuous', o: { subStream?: boolean; probe?: boolean } = {}): Promise<void> {
  for (const id of ids) {
    await api.call('cameras.add', { camera: { id, name: `Camera ${id}`, mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') }, probe: o.probe ?? false });
    await api.call('recording.configure', { cameraId: id, mode, ...(o.subStream !== undefined ? { subStream: o.subStream } : {}) });
  }
}

export async function segmentsOf(api: ApiClient, cameraId: string): Promise<number> {
  return (await api.call('recording.status', {})).find((s) => s.cameraId === cameraId)?.segments ?? 0;
}

export function waitSegments(api: ApiClient, cameraId: string, n: number, timeoutMs = 40_000): Promise<number> {
  return waitFor(`${n} segments of ${cameraId}`, async () => { const k = await segmentsOf(api, cameraId); return k >= n ? k : null; }, timeoutMs, 300);
}

export interface ProbedFile { ok: boolean; codec?: string; width?: number; height?: number; durationS?: number; firstKey?: boolean; frames?: number }

/** ffprobe a file: codec, size, duration, whether its first video frame is a key frame. */
export function probeFile(path: string, countFrames = false): ProbedFile {
  try {
    const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', ...(countFrames ? ['-count_packets'] : []),
      '-show_entries', `stream=codec_name,width,height${countFrames ? ',nb_read_packets' : ''}:format=duration`, '-of', 'json', path], { encoding: 'utf8' });
    const j = JSON.parse(out) as { streams?: Array<{ codec_name: string; width: number; height: number; nb_read_packets?: string }>; format?: { duration?: string } };
    const s = j.streams?.[0];
    if (!s) return { ok: false };
    const key = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=flags', '-read_intervals', '%+#1', '-of', 'csv=p=0', path], { encoding: 'utf8' });
    return { ok: true, codec: s.codec_name, width: s.width, height: s.height, durationS: Number(j.format?.duration), firstKey: key.trim().startsWith('K'), ...(s.nb_read_packets ? { frames: Number(s.nb_read_packets) } : {}) };
  } catch {
    return { ok: false };
  }
}

/**
 * A gap in a recorded camera's footage: the camera stopped until the host has had no frame of it for 4 s (its own
 * last-frame time, so the gap is there however slowly the machine runs), then started again (the recorder reconnects
 * by itself). The timeline shows it as a gap of more than 2.5 s.
 */
export async function recordGap(api: ApiClient, sim: Simulator, cameraId: string): Promise<void> {
  await sim.stop(cameraId);
  await waitFor(`4 s without a frame of ${cameraId}`, async () => {
    const s = (await api.call('streams.status', {})).find((x) => x.cameraId === cameraId);
    return s !== undefined && s.lastFrameAt !== null && Date.now() - s.lastFrameAt > 4000 ? true : null;
  }, 60_000, 250);
  await sim.start(cameraId);
}
