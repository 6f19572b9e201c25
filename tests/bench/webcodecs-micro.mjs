// Micro-benchmark of browser-side decoding: N WebCodecs H.264 decoders in Debian's Chromium (no GPU) fed the 360p clip
// at 25 fps and painted into 432x244 tiles of one canvas; CPU of Chromium's processes from /proc over 15 s.
// `node tests/bench/webcodecs-micro.mjs [N=16] [nodraw|draw-nn|draw-bilinear]`
import { chromium } from 'playwright-core';
import http from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
const N = Number(process.argv[2] ?? 16), MODE = process.argv[3] ?? 'draw-nn';
const clip = readFileSync(new URL('../../resources/clips/intersection-360p.h264', import.meta.url));
const PAGE = `<!doctype html><body style="margin:0;background:#000"><canvas id=c width=1738 height=1030></canvas><script type=module>
const N=${N}, MODE='${MODE}';
const buf = new Uint8Array(await (await fetch('/clip')).arrayBuffer());
// split Annex B into NAL units, then access units (new AU at SPS/PPS/SEI/AUD after VCL, or VCL with first_mb==0)
const nals=[]; let i=0; const starts=[];
for(let k=0;k+3<buf.length;k++){ if(buf[k]===0&&buf[k+1]===0&&buf[k+2]===1){ starts.push(k); k+=2; } }
for(let s=0;s<starts.length;s++){ const a=starts[s], b=s+1<starts.length?starts[s+1]:buf.length; nals.push(buf.subarray(a,b)); }
const aus=[]; let cur=[], hasVcl=false, key=false;
for(const n of nals){ const t=n[3]&31; const vcl=t===1||t===5; const firstMb = vcl && (n[4]&0x80);
  if((vcl&&firstMb&&hasVcl)||(!vcl&&hasVcl&&(t===7||t===8||t===6||t===9))){ aus.push({data:concat(cur),key}); cur=[]; hasVcl=false; key=false; }
  cur.push(n); if(vcl){hasVcl=true; if(t===5) key=true;} }
if(cur.length) aus.push({data:concat(cur),key});
function concat(l){ let n=0; for(const x of l) n+=x.length; const o=new Uint8Array(n); let p=0; for(const x of l){o.set(x,p);p+=x.length;} return o; }
const ctx=document.getElementById('c').getContext('2d',{alpha:false}); ctx.imageSmoothingEnabled = MODE!=='draw-nn';
const latest=new Array(N).fill(null); let decoded=0, painted=0;
const decs=[]; for(let d=0;d<N;d++){ const dec=new VideoDecoder({output:(f)=>{decoded++; if(latest[d]) latest[d].close(); latest[d]=f;}, error:(e)=>{window.err=String(e);}});
  dec.configure({codec:'avc1.64001f', optimizeForLatency:true, hardwareAcceleration:'prefer-software'}); decs.push(dec); }
const first = aus.findIndex(a=>a.key); let pos=new Array(N).fill(0).map((_,d)=>first);
let ts=0;
setInterval(()=>{ for(let d=0;d<N;d++){ const au=aus[pos[d]]; decs[d].decode(new EncodedVideoChunk({type:au.key?'key':'delta',timestamp:ts,data:au.data})); pos[d]=(pos[d]+1)%aus.length; if(pos[d]===0) pos[d]=first; } ts+=40000; },40);
function paint(){ if(MODE!=='nodraw'){ for(let d=0;d<N;d++){ const f=latest[d]; if(!f) continue; const x=(d%4)*434,y=Math.floor(d/4)*257; ctx.drawImage(f,x,y,432,244); f.close(); latest[d]=null; painted++; } } requestAnimationFrame(paint); }
requestAnimationFrame(paint);
window.stats=()=>({decoded,painted,err:window.err||null, aus:aus.length});
</script>`;
const srv = http.createServer((q, r) => { if (q.url === '/clip') { r.writeHead(200); r.end(clip); } else { r.writeHead(200, { 'content-type': 'text/html' }); r.end(PAGE); } }).listen(0, '127.0.0.1');
await new Promise((r) => srv.once('listening', r));
const server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-renderer-backgrounding', '--disable-background-timer-throttling'] });
const root = server.process().pid;
const b = await chromium.connect(server.wsEndpoint());
const p = await b.newPage({ viewport: { width: 1920, height: 1080 } });
await p.goto(`http://127.0.0.1:${srv.address().port}/`);
await p.waitForTimeout(4000);
const ticks = () => { const all = readdirSync('/proc').filter((x) => /^\d+$/.test(x)).map((x) => { try { const s = readFileSync(`/proc/${x}/stat`, 'utf8'); const r = s.slice(s.lastIndexOf(')') + 2).split(' '); const cmd = readFileSync(`/proc/${x}/cmdline`, 'utf8'); return { pid: +x, ppid: +r[1], t: +r[11] + +r[12], type: (cmd.match(/--type=([a-z-]+)/) || [0, 'browser'])[1] }; } catch { return null; } }).filter(Boolean);
  const kids = new Map(); for (const q of all) { (kids.get(q.ppid) ?? kids.set(q.ppid, []).get(q.ppid)).push(q); }
  const out = {}; const st = [all.find((q) => q.pid === root)]; while (st.length) { const q = st.pop(); if (!q) continue; out[q.type] = (out[q.type] ?? 0) + q.t; st.push(...(kids.get(q.pid) ?? [])); } return out; };
const s0 = await p.evaluate(() => window.stats()); const a = ticks(); const t0 = Date.now();
await p.waitForTimeout(15000);
const s1 = await p.evaluate(() => window.stats()); const c = ticks(); const secs = (Date.now() - t0) / 1000;
const cpu = Object.fromEntries(Object.keys(c).map((k) => [k, Math.round((c[k] - (a[k] ?? 0)) / secs)]));
console.log(JSON.stringify({ N, MODE, decodedFps: ((s1.decoded - s0.decoded) / secs / N).toFixed(1), paintedFps: ((s1.painted - s0.painted) / secs / N).toFixed(1), cpuPct: cpu, err: s1.err, aus: s1.aus }));
await b.close(); await server.close(); srv.close();
