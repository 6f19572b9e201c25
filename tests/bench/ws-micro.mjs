// Transport micro: Node ws server -> Chromium worker. RATE msgs/s of SIZE bytes; ACK=each|batch|none (a JSON ack
// per message, every 20 ms, or none). NOCDP=1 starts Chromium without Playwright: a DevTools client that watches the
// page's network (Playwright does) receives every WebSocket frame as well, which costs the browser process.
// `RATE=400 SIZE=5000 ACK=batch node tests/bench/ws-micro.mjs`
import { chromium } from 'playwright-core';
import { chromiumTicks } from './chromium-ticks.mjs';
import http from 'node:http';
import { WebSocketServer } from 'ws';
const RATE = Number(process.env.RATE ?? 400), SIZE = Number(process.env.SIZE ?? 5000), ACK = process.env.ACK ?? 'each', SECS = 12;
const WORKER = `const ws=new WebSocket(location.origin.replace('http','ws')+'/ws'); ws.binaryType='arraybuffer'; let n=0, acks=[], t;
ws.onmessage=(e)=>{ n++; const v=new Uint8Array(e.data); acks.push(v[0]);
  if('${ACK}'==='each'){ if(t===undefined) t=setTimeout(()=>{t=undefined; ws.send(JSON.stringify({type:'ack',slots:acks})); acks=[];},0); }
  else if('${ACK}'==='batch'){ if(t===undefined) t=setTimeout(()=>{t=undefined; ws.send(JSON.stringify({type:'ack',slots:acks})); acks=[];},20); } };
setInterval(()=>{ postMessage(n); if (${process.env.NOCDP === '1'}) fetch('/n?'+n); },500);`;
const PAGE = `<!doctype html><script>const w=new Worker('/w.js'); let n=0; w.onmessage=(e)=>{n=e.data}; window.stats=()=>n;</script>`;
let reported = 0;
const srv = http.createServer((q, r) => { if (q.url.startsWith('/n?')) { reported = Number(q.url.slice(3)); r.end(); return; } if (q.url === '/w.js') { r.writeHead(200, { 'content-type': 'text/javascript' }); r.end(WORKER); } else { r.writeHead(200, { 'content-type': 'text/html' }); r.end(PAGE); } }).listen(0, '127.0.0.1');
await new Promise((r) => srv.once('listening', r));
const wss = new WebSocketServer({ server: srv, path: '/ws' });
let acksIn = 0;
wss.on('connection', (ws) => {
  ws.on('message', () => { acksIn++; });
  const buf = Buffer.alloc(SIZE, 7);
  if (RATE > 0) setInterval(() => ws.send(buf, { binary: true }), 1000 / RATE);
});
import { spawn } from 'node:child_process';
const url = `http://127.0.0.1:${srv.address().port}/`;
let root, p, b, server, child;
if (process.env.NOCDP === '1') {
  child = spawn('/usr/bin/chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', `--user-data-dir=/tmp/ws-micro-${process.pid}`, url], { stdio: 'ignore' });
  root = child.pid;
} else {
  server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  root = server.process().pid;
  b = await chromium.connect(server.wsEndpoint());
  p = await b.newPage();
  await p.goto(url);
}
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const count = async () => (p ? p.evaluate(() => window.stats()) : reported);
await wait(3000);
const ticks = () => chromiumTicks(root, true);
const n0 = await count(); const a = ticks(); const t0 = Date.now(); const k0 = acksIn;
await wait(SECS * 1000);
const n1 = await count(); const c = ticks(); const secs = (Date.now() - t0) / 1000;
console.log(JSON.stringify({ RATE, SIZE, ACK, cdp: !child, recvPerS: Math.round((n1 - n0) / secs), acksPerS: Math.round((acksIn - k0) / secs), cpu: Object.fromEntries(Object.keys(c).map((k) => [k, Math.round((c[k] - (a[k] ?? 0)) / secs)])) }));
if (child) child.kill('SIGKILL'); else { await b.close(); await server.close(); }
process.exit(0);
