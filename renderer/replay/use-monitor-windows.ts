/**
 * "Displays on their monitors" (issue 11 §1): the main replay window opens each other replayed display in a window of
 * its own (`?view=replay&incident=&replayDisplay=&follow=`, renderer/replay/ReplayFollower.tsx) and is the clock's
 * controller: every play, pause, speed, seek and frame step here is posted on the replay channel, with a heartbeat once
 * a second while windows are open (a follower corrects drift and a late one catches up), and a follower's hello gets
 * the clock at once; a key pressed in a follower window comes here and does what it does here. Closing the replay
 * (leaving it, the incident, or the page) ends the session and closes the windows.
 * The desktop shell places each window on its display's screen (electron/main.ts); a browser opens popups, and where
 * it lets the console know its screens (Window Management, `otherScreens`) moves each onto a screen of its own.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import type { ReviewClockControl, ReviewClockState } from '../review/ReviewView.js';
import { currentLanguage } from '../i18n/i18n.js';
import { followerUrl, followerWindowName, followMessageOf, REPLAY_FOLLOW_CHANNEL, type ReplayFollowMessage } from './replay-follow.js';

const HEARTBEAT_MS = 1000;

/** A screen's place in CSS px, when the console knows it (desktop shell: `wall.displays` bounds). */
export interface ScreenBox { x: number; y: number; width: number; height: number }

export interface MonitorWindows {
  /** Windows are open (or being opened) for the other displays. */
  open: boolean;
  /** Displays whose window the browser refused to open (a popup blocker). */
  refused: string[];
  toggle(): void;
  /** Tell the followers about a change of the clock made here. */
  tell(clock: ReviewClockState): void;
}

/** What this module reads of the Window Management API (not in TypeScript's DOM types yet). */
interface ScreenDetailed { availLeft: number; availTop: number; availWidth: number; availHeight: number; left: number; top: number }
interface ScreenDetails { screens: ScreenDetailed[]; currentScreen: ScreenDetailed }

/**
 * The screens other than the one this window is on, left to right then top to bottom, as the area a window may fill
 * (CSS px); null where the browser has no Window Management API or the operator refused its permission
 * (`window-management`: asked once, the browser remembers the answer).
 */
export async function otherScreens(): Promise<ScreenBox[] | null> {
  const w = window as unknown as { getScreenDetails?: () => Promise<ScreenDetails> };
  if (!w.getScreenDetails) return null;
  try {
    const d = await w.getScreenDetails();
    return d.screens.filter((s) => s !== d.currentScreen).sort((a, b) => a.left - b.left || a.top - b.top)
      .map((s) => ({ x: s.availLeft, y: s.availTop, width: s.availWidth, height: s.availHeight }));
  } catch { return null; }
}

function newSession(): string {
  const b = new Uint8Array(9);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function useMonitorWindows(incidentId: string, wanted: readonly string[], boxOf: (displayId: string) => ScreenBox | undefined,
  clockRef: MutableRefObject<ReviewClockControl | null>): MonitorWindows {
  const session = useMemo(newSession, []);
  const [open, setOpen] = useState(false);
  const [refused, setRefused] = useState<string[]>([]);
  const windows = useRef(new Map<string, Window>());
  const channel = useRef<BroadcastChannel | null>(null);
  const post = useCallback((m: ReplayFollowMessage) => channel.current?.postMessage(m), []);
  const tell = useCallback((c: ReviewClockState) => post({ kind: 'clock', session, incidentId, atMs: c.atMs, playing: c.playing, rate: c.rate, sentAt: Date.now() }), [post, session, incidentId]);
  const tellNow = useCallback(() => { const c = clockRef.current; if (c) tell(c.state()); }, [clockRef, tell]);

  const closeAll = useCallback(() => {
    for (const w of windows.current.values()) if (!w.closed) w.close();
    windows.current.clear();
  }, []);

  // the channel lives as long as the replay; its end closes every follower (and tells any this page did not open)
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const ch = channel.current = new BroadcastChannel(REPLAY_FOLLOW_CHANNEL);
    ch.onmessage = (e: MessageEvent) => {
      const m = followMessageOf(e.data, session);
      if (m?.kind === 'hello') tellNow();
      // a key pressed in a follower window: as if pressed here (the review's own key handler runs the clock, and
      // every follower then hears the change)
      else if (m?.kind === 'key') window.dispatchEvent(new KeyboardEvent('keydown', { key: m.key, shiftKey: m.shift, cancelable: true }));
    };
    const end = () => { ch.postMessage({ kind: 'end', session } satisfies ReplayFollowMessage); closeAll(); };
    window.addEventListener('pagehide', end);
    return () => { window.removeEventListener('pagehide', end); end(); ch.close(); channel.current = null; };
  }, [session, tellNow, closeAll]);

  // opens the windows of the displays wanted, closes the others (the display the main window now shows)
  const place = useCallback((displays: readonly string[]) => {
    for (const [d, w] of windows.current) if (!displays.includes(d) || w.closed) { if (!w.closed) w.close(); windows.current.delete(d); }
    const blocked: string[] = [];
    const opened: string[] = [];
    for (const d of displays) {
      if (windows.current.has(d)) continue;
      const box = boxOf(d);
      const features = box ? `popup,left=${box.x},top=${box.y},width=${box.width},height=${box.height}` : 'popup,width=1280,height=760';
      const w = window.open(followerUrl(window.location.pathname, { incidentId, displayId: d, session }, currentLanguage()), followerWindowName(session, d), features);
      if (w) { windows.current.set(d, w); if (!box) opened.push(d); } else blocked.push(d);
    }
    setRefused(blocked);
    // a browser: a window opens in the click (a popup needs the gesture), then moves onto a screen of its own: the k-th
    // display wanted onto the k-th other screen left to right (more displays than screens: the rest stay where opened;
    // a window opened before is left where the operator may have put it)
    if (opened.length) {
      void otherScreens().then((screens) => {
        for (const d of opened) {
          const w = windows.current.get(d), s = screens?.[displays.indexOf(d)];
          if (!w || w.closed || !s) continue;
          w.moveTo(s.x, s.y);
          w.resizeTo(s.width, s.height);
        }
      });
    }
  }, [boxOf, incidentId, session]);

  const wantedKey = wanted.join('\n');
  const wantedRef = useRef(wanted);
  wantedRef.current = wanted;
  const toggle = useCallback(() => {
    if (open) { closeAll(); setRefused([]); setOpen(false); return; }
    place(wantedRef.current); // in the click's own task: a browser opens popups only on the operator's gesture
    setOpen(true);
  }, [open, closeAll, place]);
  // the main window shows another display: its window closes, the one it left gets one
  useEffect(() => { if (open) place(wantedKey ? wantedKey.split('\n') : []); }, [open, wantedKey, place]);

  // the heartbeat; windows the operator closed are forgotten, and with the last one the control is off
  useEffect(() => {
    if (!open) return;
    const t = setInterval(() => {
      tellNow();
      for (const [d, w] of windows.current) if (w.closed) windows.current.delete(d);
      if (windows.current.size === 0) setOpen(false);
    }, HEARTBEAT_MS);
    return () => clearInterval(t);
  }, [open, tellNow]);

  return { open, refused, toggle, tell };
}
