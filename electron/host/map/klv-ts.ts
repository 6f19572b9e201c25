/**
 * A small MPEG-TS demultiplexer for one thing: the KLV metadata stream of a drone's transport stream (issue 10 §3).
 * PAT -> PMT -> the KLV elementary stream (stream type 0x06 with a 'KLVA' registration descriptor: asynchronous KLV,
 * what GStreamer's mpegtsmux and most encoders write; or 0x15, metadata in PES, whose cells carry a 5-byte AU cell
 * header, ST 1402) -> PES payloads -> KLV packets (key + BER length). Video and everything else are skipped unread.
 * It resynchronises on 0x47 after garbage, and a PES that lost packets (continuity counter) is dropped as truncated.
 */
import { berLength } from './klv-0601.js';

const TS = 188;

export interface KlvDemuxEvents {
  /** One KLV packet (key through value), with the PES's pts in 90 kHz units when it had one. */
  packet(klv: Buffer, pts: number | null): void;
  /** A PES or KLV packet that arrived incomplete. */
  truncated(message: string): void;
}

export class TsKlvDemux {
  private carry = Buffer.alloc(0);
  private inSync = false;
  private pmtPids = new Set<number>();
  private klvPid = -1;
  private sync = false; // stream type 0x15: cells with an AU cell header
  private pes: Buffer[] = [];
  private pesLen = 0;
  private lastCc = -1;
  /** TS packets read, bytes skipped to find sync. */
  readonly stats = { packets: 0, skippedBytes: 0, pesDropped: 0 };

  constructor(private readonly on: KlvDemuxEvents) {}

  /** Bytes as they arrive from the network, in any pieces. */
  push(chunk: Buffer): void {
    const b = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let i = 0;
    while (b.length - i >= TS) {
      if (b[i] !== 0x47) { this.inSync = false; i += 1; this.stats.skippedBytes += 1; continue; }
      if (!this.inSync) {
        // out of sync, a 0x47 counts only when the next packet starts with one too
        if (b.length - i < TS + 1) break;
        if (b[i + TS] !== 0x47) { i += 1; this.stats.skippedBytes += 1; continue; }
        this.inSync = true;
      }
      this.packet(b.subarray(i, i + TS));
      i += TS;
    }
    this.carry = Buffer.from(b.subarray(i));
  }

  /** The end of the stream: a PES still being gathered is complete only if its length said so. */
  end(): void { this.flushPes(true); }

  private packet(p: Buffer): void {
    this.stats.packets += 1;
    if (p[1]! & 0x80) return; // transport error indicator
    const pid = ((p[1]! & 0x1f) << 8) | p[2]!;
    const pusi = (p[1]! & 0x40) !== 0;
    const afc = (p[3]! >> 4) & 3;
    const cc = p[3]! & 0x0f;
    let off = 4;
    if (afc === 2 || afc === 0) return; // adaptation field only, or reserved
    if (afc === 3) off += 1 + p[4]!;
    if (off >= TS) return;
    const payload = p.subarray(off);
    if (pid === 0) { if (pusi) this.pat(payload); return; }
    if (this.pmtPids.has(pid)) { if (pusi) this.pmt(payload); return; }
    if (pid !== this.klvPid) return;
    if (this.lastCc >= 0 && cc === this.lastCc) return; // a duplicate packet (allowed once by ISO 13818-1): already read
    if (this.lastCc >= 0 && cc !== ((this.lastCc + 1) & 0x0f)) {
      if (this.pes.length) { this.stats.pesDropped += 1; this.on.truncated(`TS packets of the KLV stream lost (continuity ${this.lastCc} -> ${cc})`); }
      this.pes = []; this.pesLen = 0;
    }
    this.lastCc = cc;
    if (pusi) { this.flushPes(false); this.pes = [Buffer.from(payload)]; this.pesLen = payload.length; } else if (this.pes.length) { this.pes.push(Buffer.from(payload)); this.pesLen += payload.length; }
    this.flushPes(false, true);
  }

  /** Emits the PES gathered so far when it is complete (its length reached) or when the next one starts. */
  private flushPes(ending: boolean, onlyIfComplete = false): void {
    if (!this.pes.length) return;
    const pes = this.pes.length === 1 ? this.pes[0]! : Buffer.concat(this.pes);
    if (pes.length < 9 || pes[0] !== 0 || pes[1] !== 0 || pes[2] !== 1) { if (!onlyIfComplete) { this.pes = []; this.pesLen = 0; } return; }
    const declared = pes.readUInt16BE(4);
    const have = pes.length - 6;
    if (onlyIfComplete && (declared === 0 || have < declared)) return;
    this.pes = []; this.pesLen = 0;
    if (declared !== 0 && have < declared) { this.stats.pesDropped += 1; this.on.truncated(`KLV PES cut off: ${have} of ${declared} bytes${ending ? ' at the end of the stream' : ''}`); return; }
    const headerLen = pes[8]!;
    let pts: number | null = null;
    if ((pes[7]! & 0x80) && headerLen >= 5) {
      pts = ((pes[9]! >> 1) & 7) * 2 ** 30 + (pes[10]! << 22) + ((pes[11]! >> 1) << 15) + (pes[12]! << 7) + (pes[13]! >> 1);
    }
    const end = declared ? 6 + declared : pes.length;
    const body = pes.subarray(9 + headerLen, end);
    if (this.sync) this.cells(body, pts); else this.split(body, pts);
  }

  /** Metadata AU cells (stream type 0x15): service id, sequence, flags, 2-byte length, then KLV. */
  private cells(body: Buffer, pts: number | null): void {
    let i = 0;
    while (i + 5 <= body.length) {
      const n = body.readUInt16BE(i + 3);
      if (i + 5 + n > body.length) { this.on.truncated(`metadata AU cell of ${n} bytes cut off`); return; }
      this.split(body.subarray(i + 5, i + 5 + n), pts);
      i += 5 + n;
    }
  }

  /** One or more KLV packets back to back. */
  private split(body: Buffer, pts: number | null): void {
    let i = 0;
    while (i < body.length) {
      if (body.length - i < 17) { this.on.truncated(`${body.length - i} stray bytes after the KLV packets`); return; }
      const l = berLength(body, i + 16);
      if (!l || l.value < 0 || i + 16 + l.size + l.value > body.length) {
        // hand it to the parser anyway: it says exactly what is missing
        this.on.packet(Buffer.from(body.subarray(i)), pts);
        return;
      }
      const size = 16 + l.size + l.value;
      this.on.packet(Buffer.from(body.subarray(i, i + size)), pts);
      i += size;
    }
  }

  private pat(payload: Buffer): void {
    const s = section(payload);
    if (!s || s[0] !== 0x00) return;
    const len = ((s[1]! & 0x0f) << 8) | s[2]!;
    const pids = new Set<number>();
    for (let i = 8; i + 4 <= 3 + len - 4; i += 4) {
      const program = s.readUInt16BE(i);
      if (program !== 0) pids.add(s.readUInt16BE(i + 2) & 0x1fff);
    }
    this.pmtPids = pids;
  }

  private pmt(payload: Buffer): void {
    const s = section(payload);
    if (!s || s[0] !== 0x02) return;
    const len = ((s[1]! & 0x0f) << 8) | s[2]!;
    const end = Math.min(s.length, 3 + len - 4);
    const progInfo = ((s[10]! & 0x0f) << 8) | s[11]!;
    for (let i = 12 + progInfo; i + 5 <= end;) {
      const type = s[i]!;
      const pid = s.readUInt16BE(i + 1) & 0x1fff;
      const esInfo = s.readUInt16BE(i + 3) & 0x0fff;
      const desc = s.subarray(i + 5, i + 5 + esInfo);
      if ((type === 0x06 && hasKlva(desc)) || type === 0x15) {
        if (pid !== this.klvPid) { this.klvPid = pid; this.lastCc = -1; this.pes = []; }
        this.sync = type === 0x15;
        return;
      }
      i += 5 + esInfo;
    }
  }
}

/** A PSI section from a payload that starts one (pointer field first). */
function section(payload: Buffer): Buffer | null {
  const at = 1 + payload[0]!;
  if (at + 3 > payload.length) return null;
  const len = ((payload[at + 1]! & 0x0f) << 8) | payload[at + 2]!;
  return at + 3 + len <= payload.length ? payload.subarray(at, at + 3 + len) : null;
}

/** A registration descriptor (tag 5) with format identifier 'KLVA'. */
function hasKlva(desc: Buffer): boolean {
  for (let i = 0; i + 2 <= desc.length; i += 2 + desc[i + 1]!) {
    if (desc[i] === 0x05 && desc[i + 1]! >= 4 && desc.toString('latin1', i + 2, i + 6) === 'KLVA') return true;
  }
  return false;
}
