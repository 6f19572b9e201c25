/**
 * The after-action review's host side (issue 11 §3, docs/training.md): finished sessions with their scores (the
 * trainer's dashboard) and the review exported as JSON, HTML (in the chosen language) or PDF. Built on the session
 * runtime's own routes (`training.sessions.list` / `.report`).
 *
 * PDF, one path for both shells: the host prints the HTML page with Chromium headless (`--print-to-pdf`, a fresh
 * temporary profile, no network: a proxy that goes nowhere), Debian's /usr/bin/chromium or `KUZET_CHROMIUM`. The
 * Electron shell could use webContents.printToPDF, but only the desktop shell has it and the host never imports electron.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContractError, type HostService } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { trainingReviewRequests, ReportFile, TrainingResult } from '../../contract/training/review-api.js';
import { reportHtml } from '../../contract/training/report.js';
import { reportText } from '../../contract/training/report-text.js';
import { reviewLanes } from '../../contract/training/review-lanes.js';
import type { Logger } from '../log.js';

export type TrainingReviewHandlers = Pick<HostService, keyof typeof trainingReviewRequests>;
type SessionRoutes = Pick<HostService, 'training.sessions.list' | 'training.sessions.report'>;

export interface TrainingReviewOptions {
  sessions: SessionRoutes;
  log: Logger;
  /** The Chromium that prints PDFs (default: KUZET_CHROMIUM, else /usr/bin/chromium). */
  chromium?: string;
  /** Longest a PDF may take to print (default 60 s: a busy 2-core machine). */
  pdfTimeoutMs?: number;
  /** A camera's name on this console (the report names events and cameras by it; default: the id). */
  cameraName?(id: string): string;
}

/** Prints one self-contained HTML page to PDF with Chromium headless; the temporary folder is always removed. */
export async function htmlToPdf(html: string, chromium: string, timeoutMs = 60_000): Promise<Buffer> {
  if (!existsSync(chromium)) throw new ContractError('unavailable', `PDF reports need Chromium (${chromium} not found; set KUZET_CHROMIUM)`, reason('pdfUnavailable'));
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-report-'));
  try {
    const page = join(dir, 'report.html');
    const out = join(dir, 'report.pdf');
    writeFileSync(page, html);
    const args = [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-extensions', '--proxy-server=127.0.0.1:9', `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer', `--print-to-pdf=${out}`, `file://${page}`,
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      let err = '';
      child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
      const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } reject(new ContractError('unavailable', `the PDF was not printed within ${timeoutMs / 1000} s`, reason('pdfUnavailable'))); }, timeoutMs);
      child.on('error', (e) => { clearTimeout(timer); reject(new ContractError('unavailable', `Chromium did not start: ${e.message}`, reason('pdfUnavailable'))); });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (existsSync(out)) resolve();
        else reject(new ContractError('internal', `Chromium printed no PDF (exit ${code}): ${err.trim().split('\n').slice(-2).join(' ')}`, reason('pdfUnavailable')));
      });
    });
    const pdf = readFileSync(out);
    if (pdf.subarray(0, 4).toString('latin1') !== '%PDF') throw new ContractError('internal', 'Chromium wrote something that is not a PDF', reason('pdfUnavailable'));
    return pdf;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function createTrainingReview(o: TrainingReviewOptions): { handlers: TrainingReviewHandlers } {
  const chromium = o.chromium ?? process.env.KUZET_CHROMIUM ?? '/usr/bin/chromium';
  const host = { clientId: 'host' };
  const handlers: TrainingReviewHandlers = {
    'training.sessions.results': async () => {
      const ended = (await o.sessions['training.sessions.list']({}, host)).filter((s) => s.state === 'ended');
      const out: TrainingResult[] = [];
      for (const s of ended) {
        try {
          const { report } = await o.sessions['training.sessions.report']({ id: s.id }, host);
          out.push({
            id: s.id, scenarioId: s.scenarioId, scenarioName: s.scenarioName, trainee: report.trainee, cameraIds: s.cameraIds,
            startedAt: report.startedAt, endedAt: report.endedAt, endReason: s.endReason, percent: report.percent,
            checksPassed: report.checks.filter((c) => c.passed).length, checks: report.checks.length,
            differences: reviewLanes(report).differences.length, missed: report.eventScores.filter((e) => e.missed).length,
          });
        } catch (err) { o.log.warn('training session left out of the results', { id: s.id, error: String(err) }); }
      }
      return out.sort((a, b) => b.startedAt - a.startedAt);
    },
    'training.sessions.export': async ({ id, format, language }) => {
      const { report } = await o.sessions['training.sessions.report']({ id }, host);
      const base = `training-${id}-${language}`;
      if (format === 'json') return { name: `training-${id}.json`, mime: 'application/json', encoding: 'utf8', data: JSON.stringify(report, null, 2) } satisfies ReportFile;
      const html = reportHtml(report, reportText(language), o.cameraName);
      if (format === 'html') return { name: `${base}.html`, mime: 'text/html', encoding: 'utf8', data: html } satisfies ReportFile;
      const pdf = await htmlToPdf(html, chromium, o.pdfTimeoutMs);
      return { name: `${base}.pdf`, mime: 'application/pdf', encoding: 'base64', data: pdf.toString('base64') } satisfies ReportFile;
    },
  };
  return { handlers };
}
