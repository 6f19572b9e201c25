/**
 * The DevTools pipe filter of the tests' Chromium (tests/support/cdp-frame-filter.py): WebSocket frame events stay out
 * of the pipe, every other message passes whole and in order, also when Chromium's writes split messages anywhere.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/harness.js';

const FILTER = join(ROOT, 'tests', 'support', 'cdp-frame-filter.py');

/** Runs the filter over `chunks` (written one by one) and returns the messages it let through. */
async function filter(chunks: Buffer[]): Promise<string[]> {
  const p = spawn('/usr/bin/python3', [FILTER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out: Buffer[] = [];
  p.stdout.on('data', (d: Buffer) => out.push(d));
  const done = new Promise<number | null>((r) => p.on('close', r));
  for (const c of chunks) await new Promise<void>((r) => p.stdin.write(c, () => r()));
  p.stdin.end();
  expect(await done).toBe(0);
  const text = Buffer.concat(out).toString('utf8');
  expect(text.endsWith('\0')).toBe(true);
  return text.split('\0').slice(0, -1);
}

const frame = (dir: 'Received' | 'Sent', payload: string) => JSON.stringify({ method: `Network.webSocketFrame${dir}`, params: { requestId: '7.1', timestamp: 1, response: { opcode: 2, mask: false, payloadData: payload } }, sessionId: 'W1' });
const kept = [
  JSON.stringify({ id: 41, result: { result: { type: 'number', value: 1 } }, sessionId: 'P1' }),
  JSON.stringify({ method: 'Network.webSocketCreated', params: { requestId: '7.1', url: 'ws://127.0.0.1/frames' }, sessionId: 'W1' }),
  JSON.stringify({ method: 'Runtime.consoleAPICalled', params: { type: 'log', args: [{ type: 'string', value: 'Network.webSocketFrameReceived' }] } }),
  JSON.stringify({ id: 42, result: {} }),
];

describe('cdp-frame-filter.py', () => {
  it('leaves out WebSocket frame events and passes everything else whole and in order', async () => {
    const big = 'A'.repeat(3 << 20); // a decoded picture, base64: larger than one read of the filter
    const stream = Buffer.from([kept[0], frame('Received', big), kept[1], frame('Sent', 'AAEC'), kept[2], frame('Received', 'x'), kept[3]].join('\0') + '\0');
    // cut into uneven pieces, some inside a message, one right after a NUL
    const cuts = [5, 4000, 3 << 19, (3 << 20) + 100, stream.length - 30, stream.length];
    const chunks: Buffer[] = [];
    let at = 0;
    for (const c of cuts) { chunks.push(stream.subarray(at, c)); at = c; }
    expect(await filter(chunks)).toEqual(kept);
  }, 30_000);
});
