/**
 * The after-action report printed to PDF by the host (issue 11 §3, electron/host/training/review-export.ts): Debian's
 * Chromium headless with a temporary profile and no network prints the HTML report in the chosen language; the PDF
 * starts with %PDF and its text names the trainee and the score. Needs /usr/bin/chromium (skipped, saying so, without).
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ContractError } from '../../electron/contract/api.js';
import { htmlToPdf } from '../../electron/host/training/review-export.js';
import { reportHtml } from '../../electron/contract/training/report.js';
import { reportText } from '../../electron/contract/training/report-text.js';
import { pdfText } from '../support/pdf-text.js';
import { carelessReport } from '../support/training-review-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const have = existsSync(CHROMIUM);
if (!have) console.warn(`training-report-pdf: skipped, ${CHROMIUM} is not installed`);

describe.skipIf(!have)('the training report as PDF', () => {
  it('prints the Russian report: %PDF, the trainee, the score and a check worded in Russian; no temp folder left', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('kuzet-report-')).length;
    const report = carelessReport();
    const pdf = await htmlToPdf(reportHtml(report, reportText('ru')), CHROMIUM, 120_000);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('trainee-1');
    expect(text).toContain('12.5 %');
    expect(text).toContain('Разбор тренировки');
    expect(text).toContain('не выполнены'); // the skipped SOP step, worded by its code
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('kuzet-report-')).length).toBe(before);
  }, 180_000);

  it('a missing Chromium is a clear refusal', async () => {
    await expect(htmlToPdf('<p>x</p>', '/nonexistent/chromium')).rejects.toThrow(ContractError);
    await expect(htmlToPdf('<p>x</p>', '/nonexistent/chromium')).rejects.toThrow(/KUZET_CHROMIUM/);
  });
});
