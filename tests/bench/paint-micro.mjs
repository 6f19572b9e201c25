// Micro-benchmark of painting N browser-decoded 360p streams into 432x244 tiles of one canvas in Debian's Chromium
// (no GPU): N WebCodecs decoders fed the clip at 25 fps, CPU of Chromium's processes from /proc.
// `node tests/bench/paint-micro.mjs [N=16] [mode] [seconds=12]`, modes:
//   nodraw, main-bilinear (drawImage(VideoFrame) scaled), main-nn, main-unscaled, bitmap (createImageBitmap resize),
//   worker / worker2 (decode + draw on an OffscreenCanvas in one / two workers), static-bitmap, copyto-rgba,
//   copyto-i420, put-only, js-nn (copyTo + JS conversion), wasm (copyTo + the I420 kernel + putImageData: Kuzet's path)
// Env: STAGGER=1 feeds the streams out of phase (like real cameras: nearly every vsync then has news); HZ=N caps paints.
import { chromium } from 'playwright-core';
import { chromiumTicks } from './chromium-ticks.mjs';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
const kernel = (await build({ entryPoints: [new URL('../../renderer/wall/i420-painter.ts', import.meta.url).pathname], bundle: true, write: false, format: 'iife', globalName: 'K' })).outputFiles[0].text;
const N = Number(process.argv[2] ?? 16), MODE = process.argv[3] ?? 'main-bilinear', SECS = Number(process.argv[4] ?? 12);
const clip = readFileSync(new URL('../../resources/clips/intersection-360p.h264', import.meta.url));
const CORE = `
const buf = new Uint8Array(await (await fetch('/clip')).arrayBuffer());
const nals=[]; const starts=[];
for(let k=0;k+3<buf.length;k++){ if(buf[k]===0&&buf[k+1]===0&&buf[k+2]===1){ starts.push(k); k+=2; } }
for(let s=0;s<starts.length;s++){ const a=starts[s], b=s+1<starts.length?starts[s+1]:buf.length; nals.push(buf.subarray(a,b)); }
const aus=[]; let cur=[], hasVcl=false, key=false;
function concat(l){ let n=0; for(const x of l) n+=x.length; const o=new Uint8Array(n); let p=0; for(const x of l){o.set(x,p);p+=x.length;} return o; }
for(const n of nals){ const t=n[3]&31; const vcl=t===1||t===5; const firstMb = vcl && (n[4]&0x80);
  if((vcl&&firstMb&&hasVcl)||(!vcl&&hasVcl&&(t===7||t===8||t===6||t===9))){ aus.push({data:concat(cur),key}); cur=[]; hasVcl=false; key=false; }
  cur.push(n); if(vcl){hasVcl=true; if(t===5) key=true;} }
if(cur.length) aus.push({data:concat(cur),key});
let decoded=0, painted=0, paintMs=0;
function convert(src, lay, w, h, out, ow, oh, xs){
  const yo=lay[0].offset, ys=lay[0].stride, uo=lay[1].offset, us=lay[1].stride, vo=lay[2].offset, vs=lay[2].stride;
  let o=0;
  for(let j=0;j<oh;j++){ const sy=Math.min(h-1,((j+0.5)*h/oh)|0); const yr=yo+sy*ys, ur=uo+(sy>>1)*us, vr=vo+(sy>>1)*vs;
    for(let i=0;i<ow;i++){ const sx=xs[i]; const Y=(src[yr+sx]-16)*298; const U=src[ur+(sx>>1)]-128, V=src[vr+(sx>>1)]-128;
      let r=(Y+409*V+128)>>8, g=(Y-100*U-208*V+128)>>8, b=(Y+516*U+128)>>8;
      r=r<0?0:r>255?255:r; g=g<0?0:g>255?255:g; b=b<0?0:b>255?255:b;
      out[o++]=0xff000000|(b<<16)|(g<<8)|r; } } }
function run(ctx, ids, MODE){
  if (ctx) ctx.imageSmoothingEnabled = MODE!=='main-nn';
  const latest=new Map(); const decs=new Map();
  for(const d of ids){ const dec=new VideoDecoder({output:(f)=>{decoded++; const o=latest.get(d); if(o) o.close(); latest.set(d,f);}, error:(e)=>{self.err=String(e);}});
    dec.configure({codec:'avc1.64001f', optimizeForLatency:${process.env.OPT !== '0'}, hardwareAcceleration:'prefer-software'}); decs.set(d,dec); }
  const first = aus.findIndex(a=>a.key); const pos=new Map(ids.map(d=>[d,first])); let ts=0;
  const feed=(d)=>{ const au=aus[pos.get(d)]; decs.get(d).decode(new EncodedVideoChunk({type:au.key?'key':'delta',timestamp:ts,data:au.data})); let p=pos.get(d)+1; if(p>=aus.length) p=first; pos.set(d,p); };
  if (STAGGER) ids.forEach((d,i)=>setTimeout(()=>setInterval(()=>feed(d),40), (i*40/ids.length)|0));
  else setInterval(()=>{ for(const d of ids) feed(d); ts+=40000; },40);
  let lastPaint=0;
  async function paint(){ const t0=performance.now();
    if (HZ && t0-lastPaint < 1000/HZ-2) { requestAnimationFrame(paint); return; }
    lastPaint=t0;
    if(MODE!=='nodraw'){ for(const d of ids){ const f=latest.get(d); if(!f) continue; const x=(d%4)*434,y=Math.floor(d/4)*257;
      if(MODE==='main-unscaled') ctx.drawImage(f,x,y);
      else if(MODE==='bitmap'){ latest.delete(d); const bm = await createImageBitmap(f,{resizeWidth:432,resizeHeight:244,resizeQuality:'low'}); f.close(); ctx.drawImage(bm,x,y); bm.close(); painted++; continue; }
      else if(MODE==='static-bitmap'){ if(!self.sb) { self.sb = await createImageBitmap(f); } ctx.drawImage(self.sb,x,y,432,244); }
      else if(MODE==='copyto-rgba'){ const w=f.codedWidth,h=f.codedHeight; if(!self.id) self.id=new ImageData(w,h); await f.copyTo(self.id.data,{format:'RGBA'}); ctx.putImageData(self.id,x,y,0,0,432,244); }
      else if(MODE==='copyto-i420'){ if(!self.ib) self.ib=new Uint8Array(f.allocationSize()); await f.copyTo(self.ib); }
      else if(MODE==='put-only'){ if(!self.id) self.id=new ImageData(432,244); ctx.putImageData(self.id,x,y); }
      else if(MODE==='js-nn'){ const w=f.codedWidth,h=f.codedHeight; if(!self.ib){ self.ib=new Uint8Array(f.allocationSize()); self.id=new ImageData(432,244); self.u32=new Uint32Array(self.id.data.buffer); self.xs=new Int32Array(432); for(let i=0;i<432;i++) self.xs[i]=Math.min(w-1,Math.floor((i+0.5)*w/432)); }
        const lay = await f.copyTo(self.ib); convert(self.ib, lay, w, h, self.u32, 432, 244, self.xs); ctx.putImageData(self.id,x,y); }
      else if(MODE==='wasm'){ if(!self.kp) self.kp = K.I420Painter.create(); if(!self.ib) self.ib=new Uint8Array(f.allocationSize()); const lay = await f.copyTo(self.ib);
        const px = self.kp.toRgba(self.ib, lay, f.visibleRect.width, f.visibleRect.height, 432, 244); ctx.putImageData(new ImageData(px,432,244),x,y); }
      else ctx.drawImage(f,x,y,432,244);
      f.close(); latest.delete(d); painted++; } }
    paintMs+=performance.now()-t0; requestAnimationFrame(paint); }
  requestAnimationFrame(paint);
}
`;
const WORKER = `self.STAGGER=${process.env.STAGGER==='1'}; self.HZ=${Number(process.env.HZ??0)}; let initMsg; const got = new Promise((r)=>{ self.onmessage=(e)=>r(e); });
${CORE}
{ const e = await got;  const {canvas, ids, mode}=e.data; const ctx=canvas?canvas.getContext('2d',{alpha:false}):null; run(ctx, ids, mode); setInterval(()=>self.postMessage({decoded,painted,paintMs,err:self.err||null}),500); }`;
const PAGE = `<!doctype html><body style="margin:0;background:#000"><canvas id=c width=1738 height=1030></canvas><canvas id=c2 width=1738 height=1030 style="position:absolute;left:0;top:0"></canvas><script src=/kernel.js></script><script type=module>
const N=${N}, MODE='${MODE}'; self.STAGGER=${process.env.STAGGER==='1'}; self.HZ=${Number(process.env.HZ??0)};
if (MODE.startsWith('worker')) {
  const nw = MODE==='worker2'?2:1; const st=[];
  for(let w=0; w<nw; w++){
    const worker=new Worker('/worker.js',{type:'module'});
    const ids=[...Array(N).keys()].filter(d=>d%nw===w);
    const cv=document.getElementById(w===0?'c':'c2'); const off=cv.transferControlToOffscreen();
    worker.postMessage({canvas:off, ids, mode:'main-bilinear'},[off]);
    st.push({decoded:0,painted:0,paintMs:0}); worker.onmessage=(e)=>{st[w]=e.data;};
  }
  window.stats=()=>({decoded:st.reduce((a,s)=>a+s.decoded,0),painted:st.reduce((a,s)=>a+s.painted,0),paintMs:st.reduce((a,s)=>a+s.paintMs,0),err:st.find(s=>s.err)?.err??null});
} else {
  ${CORE}
  run(document.getElementById('c').getContext('2d',{alpha:false}), [...Array(N).keys()], MODE);
  window.stats=()=>({decoded,painted,paintMs,err:self.err||null});
}
</script>`;
const srv = http.createServer((q, r) => { if (q.url === '/clip') { r.writeHead(200); r.end(clip); } else if (q.url === '/kernel.js') { r.writeHead(200, { 'content-type': 'text/javascript' }); r.end(kernel); } else if (q.url === '/worker.js') { r.writeHead(200, { 'content-type': 'text/javascript' }); r.end(WORKER); } else { r.writeHead(200, { 'content-type': 'text/html' }); r.end(PAGE); } }).listen(0, '127.0.0.1');
await new Promise((r) => srv.once('listening', r));
const server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-renderer-backgrounding', '--disable-background-timer-throttling'] });
const root = server.process().pid;
const b = await chromium.connect(server.wsEndpoint());
const p = await b.newPage({ viewport: { width: 1920, height: 1080 } });
p.on('pageerror', (e) => console.error('pageerror', String(e))); p.on('console', (m) => { if (m.type() === 'error') console.error('console', m.text()); });
await p.goto(`http://127.0.0.1:${srv.address().port}/`);
await p.waitForTimeout(4000); // warm-up before the measured window (a benchmark: its timings are the output, not assertions)
const ticks = () => chromiumTicks(root);
const s0 = await p.evaluate(() => window.stats()); const a = ticks(); const t0 = Date.now();
await p.waitForTimeout(SECS * 1000);
const s1 = await p.evaluate(() => window.stats()); const c = ticks(); const secs = (Date.now() - t0) / 1000;
const cpu = Object.fromEntries(Object.keys(c).map((k) => [k, Math.round((c[k] - (a[k] ?? 0)) / secs)]));
const pn = s1.painted - s0.painted;
console.log(JSON.stringify({ N, MODE, decodedFps: ((s1.decoded - s0.decoded) / secs / N).toFixed(1), paintedFps: (pn / secs / N).toFixed(1), msPerDraw: (pn ? (s1.paintMs - s0.paintMs) / pn : 0).toFixed(2), cpuPct: cpu, err: s1.err }));
await b.close(); await server.close(); srv.close();
