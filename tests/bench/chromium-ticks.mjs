// CPU ticks (1/100 s) of a Chromium process tree by process type (renderer, gpu-process, utility, browser), from
// /proc, for the micro-benchmarks (paint-micro.mjs, ws-micro.mjs). `withSelf` adds this Node process as 'node'.
import { readdirSync, readFileSync } from 'node:fs';

export function chromiumTicks(rootPid, withSelf = false) {
  const all = readdirSync('/proc').filter((x) => /^\d+$/.test(x)).map((x) => {
    try {
      const s = readFileSync(`/proc/${x}/stat`, 'utf8');
      const r = s.slice(s.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${x}/cmdline`, 'utf8');
      return { pid: +x, ppid: +r[1], t: +r[11] + +r[12], type: (cmd.match(/--type=([a-z-]+)/) || [0, 'browser'])[1] };
    } catch { return null; }
  }).filter(Boolean);
  const kids = new Map();
  for (const q of all) (kids.get(q.ppid) ?? kids.set(q.ppid, []).get(q.ppid)).push(q);
  const out = withSelf ? { node: all.find((q) => q.pid === process.pid)?.t ?? 0 } : {};
  const stack = [all.find((q) => q.pid === rootPid)];
  while (stack.length) {
    const q = stack.pop();
    if (!q) continue;
    out[q.type] = (out[q.type] ?? 0) + q.t;
    stack.push(...(kids.get(q.pid) ?? []));
  }
  return out;
}
