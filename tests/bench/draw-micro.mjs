// Micro-benchmark of the wall's paint path in Debian's Chromium (no GPU): 16 drawImage(new VideoFrame(I420 432x244))
// per animation frame on a visible canvas, in several variants. Prints ms per paint. `node tests/bench/draw-micro.mjs`
import { chromium } from 'playwright-core';
import http from 'node:http';

const PAGE = "<!doctype html><html><body style=\"margin:0;background:#000\"><div id=\"root\"></div><script type=\"module\">\nconst mode = new URLSearchParams(location.search).get('mode');\nconst W = 432, H = 244; const n = W*H*3/2;\nconst bufs = []; for (let i = 0; i < 16; i++) { const b = new Uint8Array(n + 48); for (let j = 0; j < n; j++) b[j+48] = (j*7 + i*13 + (j>>9)) & 255; bufs.push(b.buffer); }\nconst root = document.getElementById('root');\nlet ctxs = [];\nif (mode === 'tiles') { for (let i = 0; i < 16; i++) { const c = document.createElement('canvas'); c.width = W; c.height = H; c.style.cssText = `position:absolute;left:${(i%4)*434}px;top:${Math.floor(i/4)*257}px`; root.appendChild(c); ctxs.push(c.getContext('2d', { alpha: false })); } }\nelse { const c = document.createElement('canvas'); c.width = 1738; c.height = 1030; root.appendChild(c); const ctx = c.getContext('2d', { alpha: false, desynchronized: mode === 'desync' }); ctxs = Array(16).fill(ctx); }\nlet paints = 0, ms = 0;\nfunction paint() {\n  const t0 = performance.now();\n  for (let i = 0; i < 16; i++) {\n    const single = mode === 'tiles';\n    const x = single ? 0 : (i % 4) * 434, y = single ? 0 : Math.floor(i / 4) * 257;\n    const vf = new VideoFrame(new Uint8Array(bufs[i], 48, n), { format: 'I420', codedWidth: W, codedHeight: H, timestamp: paints });\n    if (mode === 'filter' && i < 4) ctxs[i].filter = 'grayscale(1) brightness(0.45)';\n    ctxs[i].drawImage(vf, x, y, W, H); vf.close();\n    if (mode === 'filter' && i < 4) ctxs[i].filter = 'none';\n    if (mode === 'dim' && i < 4) { ctxs[i].fillStyle = 'rgba(0,0,0,0.55)'; ctxs[i].fillRect(x, y, W, H); }\n  }\n  ms += performance.now() - t0; paints++;\n  if (paints < 100) requestAnimationFrame(paint); else window.result = { msPerPaint: (ms / paints).toFixed(2) };\n}\nrequestAnimationFrame(paint);\n</script></body></html>\n";
const srv = http.createServer((_q, r) => { r.writeHead(200, { 'content-type': 'text/html' }); r.end(PAGE); }).listen(0, '127.0.0.1');
await new Promise((r) => srv.once('listening', r));
const url = `http://127.0.0.1:${srv.address().port}/`;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
const p = await b.newPage({ viewport: { width: 1920, height: 1080 } });
for (const mode of ['warmup', 'plain', 'dim', 'filter', 'desync', 'tiles']) {
  await p.goto(`${url}?mode=${mode}`);
  await p.waitForFunction(() => window.result, null, { timeout: 120000 });
  if (mode !== 'warmup') console.log(mode.padEnd(8), JSON.stringify(await p.evaluate(() => window.result)));
}
await b.close();
srv.close();
