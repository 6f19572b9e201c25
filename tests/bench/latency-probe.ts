/**
 * Injected into the wall page by bench:wall (bundled to a script, evaluated through DevTools; needs diagnostics on):
 * capture-to-drawn latency of the cameras the simulator stamps with its wall clock (time-stamp mode). Right after the
 * wall draws a new frame of such a camera, it reads the stamp from that frame's luma plane: latency = drawn - stamp,
 * on the one clock of this machine. No RTCP and no fallback: a frame whose stamp cannot be read is counted, not guessed.
 */
import { decodeTimestampBlocks } from '../../native/simulator/timestamp-code.js';

interface DrawnFrame { data: Uint8Array; width: number; height: number; layout?: Array<{ offset: number; stride: number }>; receivedAt?: number }
type OnDrawn = (cameraId: string, frame: DrawnFrame, drawnAt: number) => void;
export interface LatencyProbe {
  /**
   * Starts (again) with these cameras, dropping earlier samples. `shiftMs`: how much later than its stamp a picture is
   * due to be shown (0 live; for footage replayed as live, the scenario clock's shift plus the recording's own delay),
   * one for every camera or one per camera: a sample is then drawn - (stamp + shiftMs).
   */
  start(cameraIds: string[], shiftMs?: number | Record<string, number>): void;
  /**
   * Samples (ms) and unreadable stamps since start or the last take; `pairs`: each sample's [drawn, stamp] (epoch ms),
   * camera and when its frame reached the page (epoch ms; its message's arrival: the stages before the page and in it).
   */
  take(): { samples: number[]; unreadable: number; pairs: Array<[number, number, string, number]> };
}

const w = window as unknown as { __kuzet?: { onDrawn(fn: OnDrawn | null): void }; __kuzetLatency?: LatencyProbe };
let stamped = new Set<string>();
let samples: number[] = [];
let unreadable = 0;
let shift: number | Record<string, number> = 0;
const shiftOf = (cameraId: string) => (typeof shift === 'number' ? shift : shift[cameraId] ?? 0);
let pairs: Array<[number, number, string, number]> = [];

const onDrawn: OnDrawn = (cameraId, frame, drawnAt) => {
  if (!stamped.has(cameraId)) return;
  const by = shiftOf(cameraId);
  const y = frame.layout?.[0];
  const at = frame.data.length === 0 ? null
    : decodeTimestampBlocks(frame.data.subarray(y?.offset ?? 0), frame.width, frame.height, y?.stride ?? frame.width, 1, drawnAt - by, 10_000);
  if (at === null) unreadable++;
  else { samples.push(drawnAt - by - at); pairs.push([drawnAt, at, cameraId, frame.receivedAt ?? NaN]); }
};

w.__kuzetLatency = {
  start(cameraIds, shiftMs = 0) {
    shift = shiftMs;
    if (!w.__kuzet) throw new Error('window.__kuzet is missing: the host runs without diagnostics');
    stamped = new Set(cameraIds);
    samples = [];
    pairs = [];
    unreadable = 0;
    w.__kuzet.onDrawn(onDrawn);
  },
  take() {
    const r = { samples, unreadable, pairs };
    samples = [];
    pairs = [];
    unreadable = 0;
    return r;
  },
};
