// Where Chromium runs WebCodecs' H.264 decoding here (Debian's Chromium, no GPU): N VideoDecoders in one page each decode
// one GOP (a key frame and the 24 frames after it) of the 360p clip at once, against one decoder decoding the N GOPs one
// after the other; the renderer's threads' CPU (/proc/<pid>/task/*/stat, by thread name) and the wall time of each round.
// `node tests/bench/webcodecs-threads.mjs [N=16] [rounds=10] [clip=intersection-360p]` (MODES=parallel,serial,worker, each also -busy)
// (docs/replay.md, "Seek, eighth pass": whether 16 decoders can use both cores, off the renderer's one Media thread).
import { chromium } from 'playwright-core';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const N = Number(process.argv[2] ?? 16), ROUNDS = Number(process.argv[3] ?? 10), CLIP = process.argv[4] ?? 'intersection-360p';
const clip = readFileSync(new URL(`../../resources/clips/${CLIP}.h264`, import.meta.url));
const PAGE = `<!doctype html><script type="module">
const buf = new Uint8Array(await (await fetch('/clip')).arrayBuffer());
const starts = [];
for (let k = 0; k + 3 < buf.length; k++) if (buf[k] === 0 && buf[k + 1] === 0 && buf[k + 2] === 1) { starts.push(k); k += 2; }
const nals = starts.map((a, s) => buf.subarray(a, s + 1 < starts.length ? starts[s + 1] : buf.length));
const aus = []; let cur = [], hasVcl = false, key = false;
const concat = (l) => { let n = 0; for (const x of l) n += x.length; const o = new Uint8Array(n); let p = 0; for (const x of l) { o.set(x, p); p += x.length; } return o; };
for (const n of nals) { const t = n[3] & 31; const vcl = t === 1 || t === 5; const firstMb = vcl && (n[4] & 0x80);
  if ((vcl && firstMb && hasVcl) || (!vcl && hasVcl && (t === 7 || t === 8 || t === 6 || t === 9))) { aus.push({ data: concat(cur), key }); cur = []; hasVcl = false; key = false; }
  cur.push(n); if (vcl) { hasVcl = true; if (t === 5) key = true; } }
if (cur.length) aus.push({ data: concat(cur), key });
const keys = aus.map((a, i) => (a.key ? i : -1)).filter((i) => i >= 0);
const make = () => { const d = { frames: 0 }; d.dec = new VideoDecoder({ output: (f) => { d.frames++; f.close(); }, error: (e) => { window.err = String(e); } });
  d.dec.configure({ codec: 'avc1.64001e', optimizeForLatency: true }); return d; };
const gop = (d, k) => { for (let i = k; i < k + 25 && i < aus.length; i++) d.dec.decode(new EncodedVideoChunk({ type: i === k ? 'key' : 'delta', timestamp: i * 40000, data: aus[i].data })); return d.dec.flush(); };
let decs = [];
// the same decoding in a dedicated worker (its VideoDecoders' control thread is the worker's, not the page's main thread)
const WORKER = \`let aus, keys, decs = [];
const make = () => { const d = { frames: 0 }; d.dec = new VideoDecoder({ output: (f) => { d.frames++; f.close(); }, error: (e) => { self.err = String(e); } });
  d.dec.configure({ codec: 'avc1.64001e', optimizeForLatency: true }); return d; };
const gop = (d, k) => { for (let i = k; i < k + 25 && i < aus.length; i++) d.dec.decode(new EncodedVideoChunk({ type: i === k ? 'key' : 'delta', timestamp: i * 40000, data: aus[i].data })); return d.dec.flush(); };
onmessage = async (e) => { if (e.data.aus) { aus = e.data.aus; keys = e.data.keys; return; }
  const { n, r } = e.data; while (decs.length < n) decs.push(make());
  await Promise.all(decs.slice(0, n).map((d, i) => gop(d, keys[(i + r) % keys.length]))); postMessage(self.err ?? null); };\`;
const worker = new Worker(URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' })));
worker.postMessage({ aus, keys });
const inWorker = (n, r) => new Promise((done) => { worker.onmessage = (e) => done(e.data); worker.postMessage({ n, r }); });
window.round = async (mode, n, r) => {
  const t0 = performance.now();
  // '<mode>-busy': the page's main thread busy in 40 ms tasks meanwhile (a seek's appends, renders, events); 'worker': the
  // parallel decoders in a dedicated worker
  let busy = mode.endsWith('-busy');
  if (busy) { const spin = () => { if (!busy) return; const e = performance.now() + 40; while (performance.now() < e); setTimeout(spin, 0); }; setTimeout(spin, 0); mode = mode.slice(0, -5); }
  if (mode === 'worker') { const err = await inWorker(n, r); busy = false; return { ms: performance.now() - t0, err, frames: 0 }; }
  if (mode === 'parallel') { while (decs.length < n) decs.push(make()); await Promise.all(decs.slice(0, n).map((d, i) => gop(d, keys[(i + r) % keys.length]))); }
  else { if (!decs.length) decs.push(make()); for (let i = 0; i < n; i++) await gop(decs[0], keys[(i + r) % keys.length]); }
  busy = false;
  return { ms: performance.now() - t0, err: window.err ?? null, frames: decs.reduce((s, d) => s + d.frames, 0) };
};
window.ready = true;
</script>`;
const srv = http.createServer((q, r) => { if (q.url === '/clip') { r.writeHead(200); r.end(clip); } else { r.writeHead(200, { 'content-type': 'text/html' }); r.end(PAGE); } }).listen(0, '127.0.0.1');
await new Promise((r) => srv.once('listening', r));
const server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-renderer-backgrounding', '--disable-background-timer-throttling'] });
const root = server.process().pid;
const b = await chromium.connect(server.wsEndpoint());
const p = await b.newPage();
await p.goto(`http://127.0.0.1:${srv.address().port}/`);
await p.waitForFunction(() => window.ready === true);

/** CPU ticks of every thread of the Chromium renderers under root, by `tid name`. */
function threads() {
  const procs = readdirSync('/proc').filter((x) => /^\d+$/.test(x)).map((x) => {
    try { const s = readFileSync(`/proc/${x}/stat`, 'utf8'); return { pid: +x, ppid: +s.slice(s.lastIndexOf(')') + 2).split(' ')[1], cmd: readFileSync(`/proc/${x}/cmdline`, 'utf8') }; } catch { return null; }
  }).filter(Boolean);
  const kids = new Map(); for (const q of procs) (kids.get(q.ppid) ?? kids.set(q.ppid, []).get(q.ppid)).push(q);
  const out = new Map(); const stack = [root];
  while (stack.length) { const pid = stack.pop(); for (const k of kids.get(pid) ?? []) { stack.push(k.pid); if (!k.cmd.includes('--type=renderer')) continue;
    for (const tid of readdirSync(`/proc/${k.pid}/task`)) { try { const s = readFileSync(`/proc/${k.pid}/task/${tid}/stat`, 'utf8'); const r = s.slice(s.lastIndexOf(')') + 2).split(' ');
      out.set(`${tid} ${s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'))}`, +r[11] + +r[12]); } catch { /* gone */ } } } }
  return out;
}
const log = (m) => process.stdout.write(`[webcodecs-threads] ${m}\n`);
log(`N=${N} rounds=${ROUNDS} clip=${CLIP} load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
await p.evaluate(() => window.round('parallel', 2, 0)); // decoders made and warmed: not counted
await p.evaluate(() => window.round('serial', 2, 0));
for (const mode of (process.env.MODES ?? 'parallel,serial,parallel,serial').split(',')) {
  const a = threads(); const ms = [];
  for (let r = 0; r < ROUNDS; r++) { const x = await p.evaluate(([m, n, r]) => window.round(m, n, r), [mode, N, r]); if (x.err) log(`error ${x.err}`); ms.push(x.ms); }
  const c = threads(); const d = [];
  for (const [k, v] of c) { const dv = v - (a.get(k) ?? 0); if (dv > 0) d.push([k, dv / 100]); }
  d.sort((x, y) => y[1] - x[1]);
  const byName = {}; for (const [k, v] of d) { const n = k.slice(k.indexOf(' ') + 1); byName[n] = Math.round(((byName[n] ?? 0) + v) * 100) / 100; }
  ms.sort((x, y) => x - y);
  log(`${mode}: ${N} GOPs a round, round ms p50 ${Math.round(ms[Math.floor(ms.length / 2)])} max ${Math.round(ms.at(-1))}; CPU s by thread name ${JSON.stringify(byName)}; busiest threads ${JSON.stringify(d.slice(0, 8))}; load ${loadavg()[0].toFixed(2)}`);
}
await b.close(); await server.close(); srv.close();
