/** CPU and memory of process trees from /proc, for benchmarks and leak tests (Linux only). */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux
const PAGE = 4096;

export interface ProcInfo { pid: number; ppid: number; cmdline: string; ticks: number; rssBytes: number }

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
 * Measures CPU (% of one core) of process groups over a window: classify(p) names the group of each process
 * (or null to ignore it); processes that appear or die during the window are counted for the part they lived.
 */
export async function measureCpu(classify: (p: ProcInfo) => string | null, ms: number): Promise<{ byGroup: Record<string, number>; machineBusyPct: number; rssByGroup: Record<string, number> }> {
  const snap = () => new Map(allProcs().map((p) => [p.pid, p] as const));
  const m0 = machineTicks();
  const a = snap();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  const b = snap();
  const m1 = machineTicks();
  const secs = (Date.now() - t0) / 1000;
  const byGroup: Record<string, number> = {};
  const rssByGroup: Record<string, number> = {};
  for (const [pid, p] of b) {
    const g = classify(p);
    if (!g) continue;
    const before = a.get(pid)?.ticks ?? 0;
    byGroup[g] = (byGroup[g] ?? 0) + ((p.ticks - before) / TICKS / secs) * 100;
    rssByGroup[g] = (rssByGroup[g] ?? 0) + p.rssBytes / 1e6;
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
