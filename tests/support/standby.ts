/** Telling the warm standby media worker apart from cameras' workers (electron/host/streams/standby.ts). */
import { readFileSync } from 'node:fs';

/** Process name (/proc/<pid>/comm) of a standby while it waits for a camera (native/worker/media_worker.py). */
export const STANDBY_NAME = 'kuzet-standby';

/** The process is a warm standby that finished its start-up and waits for a camera. */
export function isWaitingStandby(pid: number | undefined): boolean {
  if (!pid) return false;
  try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === STANDBY_NAME; } catch { return false; }
}
