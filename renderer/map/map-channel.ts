/**
 * The map window talks to the console window of the same browser profile over a BroadcastChannel: "open this alarm in
 * the queue". The camera goes on the alarm tile through the host (`wall.push`), which works across profiles too. Small
 * on purpose: the alarm queue imports it, and it must not pull the map's code into the wall's bundle.
 */
import { z } from 'zod';

const CHANNEL = 'kuzet.map';
/** What the map window sends; validated on arrival like every message that crosses a process. */
export const MapWindowMessage = z.object({ kind: z.literal('alarm.open'), alarmId: z.string().min(1).max(64) }).strict();
export type MapWindowMessage = z.infer<typeof MapWindowMessage>;

export function postOpenAlarm(alarmId: string): boolean {
  if (typeof BroadcastChannel === 'undefined') return false;
  const ch = new BroadcastChannel(CHANNEL);
  ch.postMessage({ kind: 'alarm.open', alarmId } satisfies MapWindowMessage);
  ch.close();
  return true;
}

/** Calls `onOpen` for each valid "open alarm" from a map window; returns the unsubscribe. Invalid messages are dropped. */
export function onMapOpenAlarm(onOpen: (alarmId: string) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => {};
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = (e: MessageEvent) => {
    const m = MapWindowMessage.safeParse(e.data);
    if (m.success) onOpen(m.data.alarmId);
    else console.warn(`map window message rejected: ${m.error.issues[0]?.message ?? 'invalid'}`);
  };
  return () => ch.close();
}
