/**
 * Burn-in: a re-encoded copy of an exported file with the wall-clock time stamp (UTC, milliseconds), an operator
 * watermark and the boxes of analytics events drawn on the frames they were seen on (ffmpeg drawtext/drawbox,
 * libx264). Text never goes into the filter graph: the time stamp template, the watermark and every label are
 * written to files that drawtext reads (`textfile`), so nothing an operator or a camera's analytics typed can
 * change the graph. The graph itself goes to ffmpeg as a file (`-filter_script:v`), never through a shell.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BurnIn } from '../../contract/review-api.js';
import { runFfmpeg } from '../recording/run-ffmpeg.js';

/** An analytics observation with boxes in normalised frame coordinates (0..1 from the top-left). */
export interface OverlayEvent { atMs: number; label: string; boxes: Array<{ x: number; y: number; w: number; h: number; label?: string | undefined }> }

/** How long a box stays drawn after the frame it was seen on (events are single observations). */
export const BOX_SHOW_MS = 1000;
/** Most events drawn per file (the filter graph grows with each). */
export const MAX_OVERLAY_EVENTS = 200;

const MONO = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const SANS = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const font = (file: string, family: string) => (existsSync(file) ? `fontfile=${file}` : `font=${family}`);
const num = (n: number) => (Number.isFinite(n) ? n : 0).toFixed(4);

export interface BurnInJob { cameraId: string; name: string; startMs: number; endMs: number }

/** The drawtext template of the time stamp: the file's start plus each frame's time, to the millisecond. */
export function timestampTemplate(startMs: number): string {
  const sec = Math.floor(startMs / 1000);
  const frac = (startMs % 1000) / 1000;
  // drawtext expands %{pts:gmtime:<offset>:<strftime>}; ':' inside the format is escaped for drawtext's own parser
  return `%{pts:gmtime:${sec}.${String(startMs % 1000).padStart(3, '0')}:%Y-%m-%d %H\\:%M\\:%S}.%{eif:mod(floor((t+${frac.toFixed(3)})*1000),1000):d:3} UTC`;
}

/** The filter graph and the text files it reads (file name, relative to ffmpeg's working folder -> content). Pure. */
export function burnInGraph(job: BurnInJob, o: BurnIn, overlays: readonly OverlayEvent[]): { graph: string; texts: Map<string, string> } {
  const texts = new Map<string, string>();
  const text = (content: string) => {
    const name = `t${texts.size}.txt`; // plain names: no path of the data folder ever reaches the graph's syntax
    texts.set(name, content);
    return name;
  };
  const parts: string[] = [];
  if (o.timestamp) {
    parts.push(`drawtext=${font(MONO, 'Monospace')}:textfile=${text(timestampTemplate(job.startMs))}:x=12:y=12:fontsize=h/24:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6`);
  }
  if (o.overlays) {
    const events = overlays.filter((e) => e.atMs >= job.startMs - BOX_SHOW_MS && e.atMs < job.endMs && e.boxes.length).slice(0, MAX_OVERLAY_EVENTS);
    for (const e of events) {
      const a = Math.max(0, (e.atMs - job.startMs) / 1000);
      const b = (e.atMs + BOX_SHOW_MS - job.startMs) / 1000;
      const when = `enable='between(t,${a.toFixed(3)},${b.toFixed(3)})'`;
      for (const box of e.boxes.slice(0, 16)) {
        parts.push(`drawbox=x=iw*${num(box.x)}:y=ih*${num(box.y)}:w=iw*${num(box.w)}:h=ih*${num(box.h)}:color=red@0.9:t=3:${when}`);
        const label = (box.label ?? e.label).slice(0, 80);
        if (label) parts.push(`drawtext=${font(SANS, 'Sans')}:textfile=${text(label)}:expansion=none:x=w*${num(box.x)}:y=max(0\\,h*${num(box.y)}-text_h-4):fontsize=h/36:fontcolor=white:box=1:boxcolor=red@0.7:boxborderw=3:${when}`);
      }
    }
  }
  if (o.watermark) {
    parts.push(`drawtext=${font(SANS, 'Sans')}:textfile=${text(o.watermark)}:expansion=none:x=(w-text_w)/2:y=h-text_h-24:fontsize=h/20:fontcolor=white@0.5:box=1:boxcolor=black@0.25:boxborderw=8`);
  }
  if (parts.length === 0) parts.push('null');
  return { graph: parts.join(',\n') + '\n', texts };
}

/** Re-encodes `<dir>/<job.name>` into `<dir>/<name>` with the burn-in drawn; progress in ms of output. */
export async function burnIn(job: BurnInJob, o: BurnIn, x: { dir: string; id: string; name: string; by: string; overlays: readonly OverlayEvent[]; ffmpeg?: string | undefined; signal?: AbortSignal | undefined; onProgress(outMs: number): void;
  /** The file drawn on, in `dir` (default job.name; a masked camera's masked copy). */ source?: string }): Promise<void> {
  const work = join(x.dir, `.${x.name}.burn`);
  const { graph, texts } = burnInGraph(job, o, x.overlays);
  mkdirSync(work, { recursive: true });
  try {
    for (const [name, content] of texts) writeFileSync(join(work, name), content);
    const script = join(work, 'graph.txt');
    writeFileSync(script, graph);
    await runFfmpeg(['-i', join(x.dir, x.source ?? job.name), '-filter_script:v', script, '-map', '0:v:0',
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-movflags', '+faststart',
      '-metadata', `creation_time=${new Date(job.startMs).toISOString()}`,
      '-metadata', `comment=Kuzet evidence ${x.id} camera ${job.cameraId}, burned-in copy (re-encoded) for ${x.by}`,
      '-y', join(x.dir, x.name)], x.ffmpeg, { ...(x.signal ? { signal: x.signal } : {}), onProgress: x.onProgress, cwd: work });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
