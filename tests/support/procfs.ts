/** CPU and memory of process trees from /proc, for benchmarks and leak tests (Linux only). */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux
const PAGE = 4096;

export interface ProcInfo {
  pid: number; ppid: number; cmdline: string; ticks: number; rssBytes: number;
  /** Ancestors' pids, parent first (set by measureCpu). */
  ancestry?: number[];
}

export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return { pid, ppid: Number(rest[1]), cmdline, ticks: Number(rest[11]) + Number(rest[12]), rssBytes: Number(rest[21]) * PAGE };
  } catch { return null; }
}

export function allProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

/** The process and all its descendants. */
export function tree(rootPid: number, procs = allProcs()): ProcInfo[] {
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of procs) { const l = byParent.get(p.ppid) ?? []; l.push(p); byParent.set(p.ppid, l); }
  const out: ProcInfo[] = [];
  const root = procs.find((p) => p.pid === rootPid);
  if (!root) return out;
  const stack = [root];
  while (stack.length) { const p = stack.pop()!; out.push(p); stack.push(...(byParent.get(p.pid) ?? [])); }
  return out;
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Measures CPU (% of one core) of process groups over a window: classify(p) names the group of each process (or
 * null to ignore it), once, when the process is first seen; `p.ancestry` lists its ancestors' pids (parent first).
 * The process table is sampled every `everyMs` during the window, so a process that starts and exits inside it
 * (a replaced media worker) still counts: from its start (0 ticks) to its last reading. RSS: processes alive at the end.
 */
export async function measureCpu(classify: (p: ProcInfo) => string | null, ms: number, everyMs = 400): Promise<{ byGroup: Record<string, number>; machineBusyPct: number; rssByGroup: Record<string, number> }> {
  interface Seen { group: string; first: number; last: number; rssBytes: number; alive: boolean }
  const seen = new Map<string, Seen | null>(); // pid:starttime -> its group and ticks (null: not ours)
  const sample = (initial: boolean) => {
    const stats = new Map<number, { ppid: number; ticks: number; rssBytes: number; start: string }>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), rssBytes: Number(rest[21]) * PAGE, start: rest[19] ?? '' });
      } catch { /* exited meanwhile */ }
    }
    for (const s of seen.values()) if (s) s.alive = false;
    for (const [pid, st] of stats) {
      const key = `${pid}:${st.start}`;
      let entry = seen.get(key);
      if (entry === undefined) {
        let cmdline = '';
        try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(); } catch { continue; }
        const ancestry: number[] = [];
        for (let q = stats.get(pid)?.ppid; q !== undefined && q > 0 && ancestry.length < 64; q = stats.get(q)?.ppid) ancestry.push(q);
        const group = classify({ pid, ppid: st.ppid, cmdline, ticks: st.ticks, rssBytes: st.rssBytes, ancestry });
        entry = group === null ? null : { group, first: initial ? st.ticks : 0, last: st.ticks, rssBytes: st.rssBytes, alive: true };
        seen.set(key, entry);
      }
      if (entry) { entry.last = st.ticks; entry.rssBytes = st.rssBytes; entry.alive = true; }
    }
  };
  const m0 = machineTicks();
  const t0 = Date.now();
  sample(true);
  while (Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, Math.min(everyMs, Math.max(1, ms - (Date.now() - t0)))));
    sample(false);
  }
  const m1 = machineTicks();
  const secs = (Date.now() - t0) / 1000;
  const byGroup: Record<string, number> = {};
  const rssByGroup: Record<string, number> = {};
  for (const e of seen.values()) {
    if (!e) continue;
    byGroup[e.group] = (byGroup[e.group] ?? 0) + ((e.last - e.first) / TICKS / secs) * 100;
    if (e.alive) rssByGroup[e.group] = (rssByGroup[e.group] ?? 0) + e.rssBytes / 1e6;
  }
  const machineBusyPct = ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100;
  return { byGroup, machineBusyPct, rssByGroup };
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function median(values: number[]): number | null { return percentile(values, 50); }

/**
 * CPU (% of one core) by thread name over a window, for the processes classify() names: "renderer/CrRendererMain",
 * "renderer/Compositor", ... (a profile of where inside a process the time goes; thread names from /proc/<pid>/task).
 */
export async function measureThreads(classify: (p: ProcInfo) => string | null, ms: number): Promise<Record<string, number>> {
  const snap = () => {
    const out = new Map<string, number>();
    for (const p of allProcs()) {
      const g = classify(p);
      if (!g) continue;
      let tids: string[] = [];
      try { tids = readdirSync(`/proc/${p.pid}/task`); } catch { continue; }
      for (const tid of tids) {
        try {
          const stat = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
          const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '');
          const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          out.set(`${p.pid}:${tid}\t${g}/${name}`, Number(rest[11]) + Number(rest[12]));
        } catch { /* the thread ended */ }
      }
    }
    return out;
  };
  const a = snap();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  const b = snap();
  const secs = (Date.now() - t0) / 1000;
  const byName: Record<string, number> = {};
  for (const [key, ticks] of b) {
    const name = key.split('\t')[1]!;
    byName[name] = (byName[name] ?? 0) + ((ticks - (a.get(key) ?? 0)) / TICKS / secs) * 100;
  }
  return byName;
}
