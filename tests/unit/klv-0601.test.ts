/**
 * Issue 10 §3, §7: the strict MISB ST 0601 parser on the standard's own example values (the published example packet,
 * checksum 0x2972, and the per-tag examples of ST 0601 for the corners and offsets), truncation at every length,
 * checksum and length errors; and the TS demux on a transport stream built here (PAT, PMT with a KLVA registration,
 * a PES split over packets), including lost packets and garbage before the sync byte.
 */
import { describe, expect, it } from 'vitest';
import { klvChecksum, parseUas0601, UAS_LS_KEY } from '../../electron/host/map/klv-0601.js';
import { TsKlvDemux } from '../../electron/host/map/klv-ts.js';
import { klvToTelemetry } from '../../electron/host/map/klv-source.js';

/** The example UAS Datalink LS packet published with ST 0601 (key, 174 bytes of items, checksum 0x2972). */
const EXAMPLE = Uint8Array.from([
  0x06, 0x0E, 0x2B, 0x34, 0x02, 0x0B, 0x01, 0x01, 0x0E, 0x01, 0x03, 0x01, 0x01, 0x00, 0x00, 0x00, 0x81, 0xAE, 0x02, 0x08,
  0x00, 0x04, 0x60, 0x50, 0x58, 0x4E, 0x01, 0x80, 0x03, 0x0A, 0x4D, 0x69, 0x73, 0x73, 0x69, 0x6F, 0x6E, 0x20, 0x31, 0x32,
  0x05, 0x02, 0x71, 0xC2, 0x06, 0x02, 0xFD, 0x3D, 0x07, 0x02, 0x08, 0xB8, 0x0A, 0x08, 0x50, 0x72, 0x65, 0x64, 0x61, 0x74,
  0x6F, 0x72, 0x0B, 0x07, 0x45, 0x4F, 0x20, 0x4E, 0x6F, 0x73, 0x65, 0x0C, 0x0E, 0x47, 0x65, 0x6F, 0x64, 0x65, 0x74, 0x69,
  0x63, 0x20, 0x57, 0x47, 0x53, 0x38, 0x34, 0x0D, 0x04, 0x55, 0x95, 0xB6, 0x6D, 0x0E, 0x04, 0x5B, 0x53, 0x60, 0xC4, 0x0F,
  0x02, 0xC2, 0x21, 0x10, 0x02, 0xCD, 0x9C, 0x11, 0x02, 0xD9, 0x17, 0x12, 0x04, 0x72, 0x4A, 0x0A, 0x20, 0x13, 0x04, 0x87,
  0xF8, 0x4B, 0x86, 0x14, 0x04, 0x00, 0x00, 0x00, 0x00, 0x15, 0x04, 0x03, 0x83, 0x09, 0x26, 0x16, 0x02, 0x12, 0x81, 0x17,
  0x04, 0xF1, 0x01, 0xA2, 0x29, 0x18, 0x04, 0x14, 0xBC, 0x08, 0x2B, 0x19, 0x02, 0x34, 0xF3, 0x30, 0x1C, 0x01, 0x01, 0x01,
  0x02, 0x01, 0x07, 0x03, 0x05, 0x2F, 0x2F, 0x55, 0x53, 0x41, 0x0C, 0x01, 0x07, 0x0D, 0x06, 0x00, 0x55, 0x00, 0x53, 0x00,
  0x41, 0x16, 0x02, 0x04, 0x01, 0x41, 0x01, 0x02, 0x01, 0x02, 0x29, 0x72,
]);

/** A packet of these items with a correct checksum (the checksum function is checked on EXAMPLE first). */
function packet(items: Array<[number, number[]]>): Uint8Array {
  const body = items.flatMap(([tag, v]) => [tag, v.length, ...v]);
  const value = [...body, 0x01, 0x02];
  const head = [...UAS_LS_KEY, value.length + 2];
  const sum = klvChecksum(Uint8Array.from([...head, ...value]));
  return Uint8Array.from([...head, ...value, sum >> 8, sum & 0xff]);
}
const TIME: [number, number[]] = [2, [0x00, 0x04, 0x60, 0x50, 0x58, 0x4E, 0x01, 0x80]];

describe('MISB ST 0601 parser', () => {
  it('reads the standard example packet: checksum, time, heading, sensor and frame centre', () => {
    expect(klvChecksum(EXAMPLE, EXAMPLE.length - 2)).toBe(0x2972);
    const r = parseUas0601(EXAMPLE);
    if (!r.ok) throw new Error(r.message);
    expect(r.bytes).toBe(EXAMPLE.length);
    const v = r.value;
    expect(new Date(v.timeUs / 1000).toISOString()).toBe('2009-01-12T22:08:22.000Z');
    expect(v.missionId).toBe('Mission 12');
    expect(v.platform).toBe('Predator');
    expect(v.heading).toBeCloseTo(159.974365, 5);
    expect(v.sensorLat).toBeCloseTo(60.176822966978335, 9);
    expect(v.sensorLon).toBeCloseTo(128.42675904204452, 9);
    expect(v.sensorAlt).toBeCloseTo(14190.7195, 2);
    expect(v.hfov).toBeCloseTo(144.571298, 5);
    expect(v.vfov).toBeCloseTo(152.643626, 5);
    expect(v.frameCenter?.[0]).toBeCloseTo(-10.542388633146132, 9);
    expect(v.frameCenter?.[1]).toBeCloseTo(29.157890122923014, 9);
    expect(v.frameCenterElev).toBeCloseTo(3216.03723, 1);
    expect(v.version).toBe(2);
  });

  it('reads the four full corners (tags 82-89) with the standard example values', () => {
    const r = parseUas0601(packet([TIME,
      [82, [0xF1, 0x06, 0x9B, 0x63]], [83, [0x14, 0xBC, 0xB2, 0xC0]], [84, [0xF1, 0x00, 0x4D, 0x00]], [85, [0x14, 0xBE, 0x84, 0xC8]],
      [86, [0xF0, 0xFD, 0x9B, 0x17]], [87, [0x14, 0xBB, 0x17, 0xAF]], [88, [0xF1, 0x02, 0x05, 0x2A]], [89, [0x14, 0xB9, 0xD1, 0x76]]]));
    if (!r.ok) throw new Error(r.message);
    const want = [[-10.528728379108287, 29.161550376960857], [-10.546048887183977, 29.17155037696086], [-10.553450810972622, 29.15272986888517], [-10.541326455319641, 29.14572986888517]];
    r.value.corners!.forEach((c, i) => { expect(c[0]).toBeCloseTo(want[i]![0]!, 7); expect(c[1]).toBeCloseTo(want[i]![1]!, 7); });
  });

  it('falls back to the offset corners (tags 26-33) around the frame centre', () => {
    const r = parseUas0601(packet([TIME, [23, [0xF1, 0x01, 0xA2, 0x29]], [24, [0x14, 0xBC, 0x08, 0x2B]],
      [26, [0x17, 0x50]], [27, [0x06, 0x3F]], [28, [0xF9, 0xC1]], [29, [0x17, 0x50]], [30, [0xED, 0x1F]], [31, [0xF7, 0x32]], [32, [0x01, 0xD0]], [33, [0xEB, 0x3F]]]));
    if (!r.ok) throw new Error(r.message);
    const c = r.value.corners!;
    expect(c[0][0]).toBeCloseTo(-10.542388633146132 + 0.0136602540, 6);
    expect(c[0][1]).toBeCloseTo(29.157890122923014 + 0.0036602540, 6);
    expect(c[3][1]).toBeCloseTo(29.157890122923014 - 0.012160863063448, 6);
  });

  it('refuses every truncation of the example as truncated, never throwing', () => {
    for (let n = 0; n < EXAMPLE.length; n++) {
      const r = parseUas0601(EXAMPLE.subarray(0, n));
      expect(r.ok, `cut at ${n}`).toBe(false);
      if (!r.ok) expect(r.reason, `cut at ${n}`).toBe('klv-truncated');
    }
  });

  it('refuses a flipped bit anywhere after the key as a checksum (or length) error', () => {
    for (let i = 18; i < EXAMPLE.length; i++) {
      const bad = Uint8Array.from(EXAMPLE);
      bad[i]! ^= 0x10;
      const r = parseUas0601(bad);
      expect(r.ok, `bit flipped at ${i}`).toBe(false);
      if (!r.ok) expect(['klv-checksum', 'klv-invalid'], `bit flipped at ${i}: ${r.message}`).toContain(r.reason);
    }
    const bad = Uint8Array.from(EXAMPLE);
    bad[100]! ^= 0x01;
    const r = parseUas0601(bad);
    expect(r.ok ? '' : r.reason).toBe('klv-checksum');
  });

  it('refuses another key, an item running past the packet, a wrong size, a missing time stamp', () => {
    const other = Uint8Array.from(EXAMPLE); other[10] = 0x02;
    expect(parseUas0601(other)).toMatchObject({ ok: false, reason: 'klv-invalid' });
    expect(parseUas0601(packet([TIME, [13, [0x55, 0x95, 0xB6]]]))).toMatchObject({ ok: false, reason: 'klv-invalid' });
    expect(parseUas0601(packet([[13, [0x55, 0x95, 0xB6, 0x6D]]]))).toMatchObject({ ok: false, reason: 'klv-invalid' });
    const runs = packet([TIME, [14, [0x5B, 0x53, 0x60, 0xC4]]]);
    const over = Uint8Array.from(runs); over[28] = 0x20; // tag 14's length now runs into the checksum
    const sum = klvChecksum(over, over.length - 2); over[over.length - 2] = sum >> 8; over[over.length - 1] = sum & 0xff;
    expect(parseUas0601(over)).toMatchObject({ ok: false, reason: 'klv-invalid' });
    const noSum = Uint8Array.from(EXAMPLE); noSum[EXAMPLE.length - 4] = 0x41;
    expect(parseUas0601(noSum)).toMatchObject({ ok: false, reason: 'klv-checksum' });
  });

  it('turns a packet into unit telemetry with the footprint as [lon, lat]', () => {
    const r = parseUas0601(EXAMPLE);
    if (!r.ok) throw new Error(r.message);
    const m = klvToTelemetry({ ...r.value, corners: [[1, 2], [3, 4], [5, 6], [7, 8]] }, 'uav-1', 'cam-1');
    expect(m?.t).toMatchObject({ v: 1, id: 'uav-1', kind: 'drone', cameraId: 'cam-1', ts: Math.floor(r.value.timeUs / 1000) });
    expect(m?.view.footprint).toEqual([[2, 1], [4, 3], [6, 5], [8, 7]]);
    expect(klvToTelemetry({ timeUs: 1 }, 'uav-1')).toBeNull();
  });
});

/** A transport stream: PAT, PMT (a KLVA private stream on PID 0x42), then the PES of `klv` split over TS packets. */
function transportStream(klv: Uint8Array, cc0 = 0): Buffer {
  const ts = (pid: number, pusi: boolean, cc: number, payload: Buffer): Buffer => {
    const room = 184;
    if (payload.length >= room) return Buffer.concat([Buffer.from([0x47, (pusi ? 0x40 : 0) | (pid >> 8), pid & 0xff, 0x10 | cc]), payload.subarray(0, room)]);
    const stuff = room - payload.length - 1; // adaptation field of stuffing in front of a short payload
    const af = Buffer.alloc(1 + stuff, 0xff); af[0] = stuff; if (stuff > 0) af[1] = 0x00;
    return Buffer.concat([Buffer.from([0x47, (pusi ? 0x40 : 0) | (pid >> 8), pid & 0xff, 0x30 | cc]), af, payload]);
  };
  const psi = (tableId: number, body: number[]): Buffer => {
    const len = body.length + 5 + 4;
    return Buffer.from([0, tableId, 0xb0 | (len >> 8), len & 0xff, 0, 1, 0xc1, 0, 0, ...body, 0, 0, 0, 0]);
  };
  const pat = psi(0, [0, 1, 0xe0 | 0x10, 0x00]);
  const pmt = psi(2, [0xe0, 0x41, 0xf0, 0x00, 0x06, 0xe0, 0x42, 0xf0, 0x06, 0x05, 0x04, 0x4b, 0x4c, 0x56, 0x41]);
  const pesLen = 3 + klv.length;
  const pes = Buffer.concat([Buffer.from([0, 0, 1, 0xbd, pesLen >> 8, pesLen & 0xff, 0x80, 0x00, 0x00]), Buffer.from(klv)]);
  const out = [ts(0, true, 0, pat), ts(0x1000, true, 0, pmt)];
  for (let i = 0, cc = cc0; i < pes.length; i += 184, cc = (cc + 1) & 15) out.push(ts(0x42, i === 0, cc, pes.subarray(i, i + 184)));
  return Buffer.concat(out);
}

describe('MPEG-TS KLV demux', () => {
  it('finds the KLVA stream through PAT and PMT and yields the packet, in any chunking, after garbage', () => {
    const stream = Buffer.concat([Buffer.from([1, 2, 0x47, 3]), transportStream(EXAMPLE), transportStream(EXAMPLE, 2)]);
    for (const piece of [stream.length, 188, 100, 7]) {
      const got: Buffer[] = [];
      const demux = new TsKlvDemux({ packet: (k) => got.push(k), truncated: (m) => { throw new Error(m); } });
      for (let i = 0; i < stream.length; i += piece) demux.push(stream.subarray(i, i + piece));
      expect(got.length, `chunks of ${piece}`).toBe(2);
      expect(Buffer.compare(got[0]!, Buffer.from(EXAMPLE))).toBe(0);
      expect(demux.stats.skippedBytes).toBe(4);
    }
  });

  it('reads a duplicated TS packet once', () => {
    const stream = transportStream(EXAMPLE);
    const dup = Buffer.concat([stream.subarray(0, 3 * 188), stream.subarray(2 * 188)]); // the PES's first packet twice
    const got: Buffer[] = [];
    const demux = new TsKlvDemux({ packet: (k) => got.push(k), truncated: (m) => { throw new Error(m); } });
    demux.push(dup);
    expect(got).toHaveLength(1);
    expect(Buffer.compare(got[0]!, Buffer.from(EXAMPLE))).toBe(0);
  });

  it('drops a PES that lost a TS packet as truncated', () => {
    const stream = transportStream(EXAMPLE);
    const cut = Buffer.concat([stream.subarray(0, 3 * 188), stream.subarray(4 * 188)]); // PES packets 1 (of 2) lost its second
    const lost = Buffer.concat([stream.subarray(0, 2 * 188), stream.subarray(3 * 188)]); // the first half lost: no start
    const events: string[] = [];
    const demux = new TsKlvDemux({ packet: () => events.push('packet'), truncated: (m) => events.push(m) });
    demux.push(cut); demux.end();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(/cut off/);
    const d2: string[] = [];
    const demux2 = new TsKlvDemux({ packet: () => d2.push('packet'), truncated: (m) => d2.push(m) });
    demux2.push(lost); demux2.end();
    expect(d2).toEqual([]); // a continuation without its start is not a packet
  });
});
