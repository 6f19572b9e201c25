/**
 * The recording index: every segment of every camera, sorted by start, in memory, persisted as an
 * append-only JSON-lines journal (`<root>/index.jsonl`: {"add": Segment} | {"del": file}). The files are
 * the truth: rebuild() recreates the journal from them, and open() reconciles the journal with the
 * disk (files the journal missed after a crash are probed and added; entries whose file vanished go).
 * Main and sub-stream segments are listed apart (`camera(id, stream)`); a segment's stream is its path's
 * (`<camera>/sub/<day>/…` is the sub-stream), so a journal written before sub-streams were recorded loads as main.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StreamProfile } from '../../contract/schemas.js';
import { parseSegmentFile, streamOfSegment, SUB_FOLDER, type Segment } from './segment.js';
import { mapLimit, probeSegment } from './probe-segment.js';

export const INDEX_FILE = 'index.jsonl';

export class SegmentIndex {
  private readonly byCamera = new Map<string, Segment[]>();
  private readonly byFile = new Map<string, Segment>();
  private journalLines = 0;

  constructor(readonly root: string) {}

  get journalPath(): string { return join(this.root, INDEX_FILE); }

  /** Loads the journal and reconciles it with the files on disk. */
  async open(): Promise<{ added: number; dropped: number }> {
    this.clear();
    if (existsSync(this.journalPath)) {
      for (const line of readFileSync(this.journalPath, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const rec = JSON.parse(line) as { add?: Segment; del?: string };
          const at = rec.add ? parseSegmentFile(rec.add.file) : null;
          if (rec.add && at) this.put(withStream(rec.add, at.stream));
          else if (typeof rec.del === 'string') this.remove(rec.del);
        } catch { /* a torn last line after a crash: the disk scan below recovers the segment */ }
      }
    }
    const onDisk = new Set(scanSegmentFiles(this.root));
    let dropped = 0;
    for (const f of [...this.byFile.keys()]) if (!onDisk.has(f)) { this.remove(f); dropped++; }
    const missing = [...onDisk].filter((f) => !this.byFile.has(f) && !removeIfEmpty(join(this.root, f)));
    const probed = await probeFiles(this.root, missing, 'partial'); // the journal missed them: cut short by a crash
    this.compact();
    for (const s of probed) this.add(s);
    return { added: probed.length, dropped };
  }

  /** Forgets the journal and recreates it from the files alone (every file probed). */
  async rebuild(): Promise<{ segments: number; corrupt: number }> {
    this.clear();
    const probed = await probeFiles(this.root, scanSegmentFiles(this.root), 'ok');
    for (const s of probed) this.put(s);
    this.compact();
    return { segments: probed.length, corrupt: probed.filter((s) => s.status === 'corrupt').length };
  }

  add(seg: Segment): void {
    const at = parseSegmentFile(seg.file);
    const s = at ? withStream(seg, at.stream) : seg;
    this.put(s);
    this.journal({ add: s });
  }

  delete(file: string): void {
    if (!this.byFile.has(file)) return;
    this.remove(file);
    this.journal({ del: file });
  }

  get(file: string): Segment | undefined { return this.byFile.get(file); }
  /** One stream's segments of a camera in time order (the main stream unless asked: export and packages use it as is). */
  camera(cameraId: string, stream: StreamProfile = 'main'): readonly Segment[] { return this.byCamera.get(listKey(cameraId, stream)) ?? []; }
  /** Cameras with segments of either stream. */
  cameras(): string[] { return [...new Set(this.all().map((s) => s.cameraId))]; }
  all(): Segment[] { return [...this.byFile.values()]; }
  get size(): number { return this.byFile.size; }

  private put(s: Segment) {
    if (this.byFile.has(s.file)) this.remove(s.file);
    this.byFile.set(s.file, s);
    const key = listKey(s.cameraId, streamOfSegment(s));
    let list = this.byCamera.get(key);
    if (!list) { list = []; this.byCamera.set(key, list); }
    // segments arrive in time order: append, else insert in place
    let i = list.length;
    while (i > 0 && (list[i - 1] as Segment).startMs > s.startMs) i--;
    list.splice(i, 0, s);
  }

  private remove(file: string) {
    const s = this.byFile.get(file);
    if (!s) return;
    this.byFile.delete(file);
    const key = listKey(s.cameraId, streamOfSegment(s));
    const list = this.byCamera.get(key);
    if (!list) return;
    const i = list.indexOf(s);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byCamera.delete(key);
  }

  private clear() { this.byCamera.clear(); this.byFile.clear(); this.journalLines = 0; }

  private journal(rec: unknown) {
    appendFileSync(this.journalPath, JSON.stringify(rec) + '\n');
    // deletions pile up over weeks of retention: rewrite the journal once it is mostly history
    if (++this.journalLines > 4 * this.byFile.size + 10_000) this.compact();
  }

  /** Rewrites the journal atomically with only the live segments. */
  private compact() {
    const tmp = `${this.journalPath}.tmp`;
    writeFileSync(tmp, this.all().map((s) => JSON.stringify({ add: s })).join('\n') + (this.byFile.size ? '\n' : ''));
    renameSync(tmp, this.journalPath);
    this.journalLines = this.byFile.size;
  }
}

/** Main-stream segments are listed under the camera id; a sub-stream's under a key no camera id can be. */
const listKey = (cameraId: string, stream: StreamProfile): string => (stream === 'sub' ? `${cameraId}/${SUB_FOLDER}` : cameraId);

/** The segment with its stream as its path says (the path is the truth; main carries no field, as before). */
function withStream(s: Segment, stream: StreamProfile): Segment {
  if (stream === 'sub') return { ...s, stream };
  const { stream: _drop, ...main } = s;
  return main;
}

/** Relative paths of every segment file under the root (`<camera>/<day>/<ms>.mp4`, `<camera>/sub/<day>/<ms>.mp4`). */
export function scanSegmentFiles(root: string): string[] {
  const out: string[] = [];
  const dirs = (p: string) => { try { return readdirSync(p, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name); } catch { return []; } };
  const scanDays = (rel: string) => {
    for (const day of dirs(join(root, rel))) {
      let names: string[] = [];
      try { names = readdirSync(join(root, rel, day)); } catch { continue; }
      for (const n of names) {
        const file = `${rel}/${day}/${n}`;
        if (parseSegmentFile(file)) out.push(file);
      }
    }
  };
  for (const cam of dirs(root)) {
    scanDays(cam);
    scanDays(`${cam}/${SUB_FOLDER}`);
  }
  return out.sort();
}

/** Probes files into segments: unreadable ones are kept on disk and marked corrupt (never deleted here). */
export async function probeFiles(root: string, files: readonly string[], readable: 'ok' | 'partial'): Promise<Segment[]> {
  const segs = await mapLimit(files, 2, async (file): Promise<Segment | null> => {
    const at = parseSegmentFile(file) as NonNullable<ReturnType<typeof parseSegmentFile>>;
    const path = join(root, file);
    let bytes = 0;
    try { bytes = statSync(path).size; } catch { /* raced with deletion */ }
    const p = bytes > 0 ? await probeSegment(path) : { ok: false, durationMs: 0 };
    // cut short before its first whole fragment (crash, camera gone): headers only, nothing to keep
    if (!p.ok && readable === 'partial' && bytes < HEADERS_ONLY_BYTES) { try { unlinkSync(path); } catch { /* gone */ } return null; }
    return { cameraId: at.cameraId, startMs: at.startMs, endMs: at.startMs + p.durationMs, file, bytes, status: p.ok ? readable : 'corrupt', ...(at.stream === 'sub' ? { stream: at.stream } : {}) } satisfies Segment;
  });
  const out = segs.filter((s): s is Segment => s !== null);
  // a damaged file has no readable duration: it covers the time until the camera's next file (at most a default segment)
  for (let i = 0; i < out.length; i++) {
    const s = out[i] as Segment;
    if (s.status !== 'corrupt') continue;
    const next = out[i + 1];
    s.endMs = s.startMs + (next && next.cameraId === s.cameraId && streamOfSegment(next) === streamOfSegment(s) ? Math.min(next.startMs - s.startMs, CORRUPT_SPAN_MS) : CORRUPT_SPAN_MS);
  }
  return out;
}

/** How much time a damaged segment is assumed to cover when nothing follows it (one default segment). */
const CORRUPT_SPAN_MS = 4000;

/** An unplayable crash-left segment this small holds only headers (a fragment is ~1 s of video, far more). */
export const HEADERS_ONLY_BYTES = 64 * 1024;

/** A segment file a worker opened and never wrote (it died first) holds nothing: it goes. */
function removeIfEmpty(path: string): boolean {
  try {
    if (statSync(path).size > 0) return false;
    unlinkSync(path);
    return true;
  } catch { return false; }
}
