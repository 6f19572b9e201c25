/** Frigate MQTT messages as Frigate sends them (tests/support/frigate/*.json), and a way to move their times to now. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.js';

export interface FrigateFixture { topic: string; payload: unknown; /** skipped.json: the reason Kuzet must count. */ expect?: string }

/** The time the fixtures' tracked objects were recorded at (float seconds, as Frigate stamps them). */
export const FIXTURE_EPOCH_S = 1796290200;

export function frigateMessages(name: 'person-front-door' | 'car-abay-crossing' | 'skipped'): FrigateFixture[] {
  return JSON.parse(readFileSync(join(ROOT, 'tests', 'support', 'frigate', `${name}.json`), 'utf8')) as FrigateFixture[];
}
export function frigateMessage(name: 'old-event'): FrigateFixture {
  return JSON.parse(readFileSync(join(ROOT, 'tests', 'support', 'frigate', `${name}.json`), 'utf8')) as FrigateFixture;
}

const TIME_KEYS = new Set(['frame_time', 'start_time', 'end_time', 'timestamp', 'snapshot_time']);
/** A copy with every Frigate time field (float seconds) moved by `bySeconds`; ids and everything else unchanged. */
export function shiftTimes<T>(value: T, bySeconds: number): T {
  if (Array.isArray(value)) return value.map((v: unknown) => shiftTimes(v, bySeconds)) as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, TIME_KEYS.has(k) && typeof v === 'number' ? v + bySeconds : shiftTimes(v, bySeconds)])) as T;
}
