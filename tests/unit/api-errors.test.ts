/**
 * Issue 12 §3 and §7: host refusals and validation errors reach the operator in their language. Every reason code and
 * every bridge error code has a sentence in Kazakh, Russian and English with the same placeholders; the host's mask and
 * zone validation and the access gate's refusals carry reasons through the real dispatch; the console translates them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import en from '../../resources/locales/en.json' with { type: 'json' };
import ru from '../../resources/locales/ru.json' with { type: 'json' };
import kk from '../../resources/locales/kk.json' with { type: 'json' };
import { ERROR_REASON_CODES, reasonOfIssue } from '../../electron/contract/api-errors.js';
import { BRIDGE_ERROR_CODES, ContractError, type HostService, type ReplyMessage } from '../../electron/contract/api.js';
import { CameraMasks } from '../../electron/contract/masks-schema.js';
import { validateMasks } from '../../electron/host/masks/mask-book.js';
import { zoneShapeProblem } from '../../electron/host/alarms/zone-geometry.js';
import { dispatch } from '../../electron/host/dispatch.js';
import { createLogger } from '../../electron/host/log.js';
import { BridgeCallError } from '../../renderer/bridge/client.js';
import { errorMessage } from '../../renderer/app/ui-errors.js';
import { signInError } from '../../renderer/access/credential-form.js';
import { setLanguage } from '../../renderer/i18n/i18n.js';
import { formatDateTime } from '../../renderer/i18n/format.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStreamUrl } from '../../electron/host/cameras/url-policy.js';
import { CameraRegistry } from '../../electron/host/cameras/registry.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';
import { checkLayout, pushCamera } from '../../electron/host/wall/wall-rules.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { withPackageFolder } from '../../electron/host/replay/incident-package.js';
import { createTraining } from '../../electron/host/training/training-module.js';
import { applyAction } from '../../electron/host/alarms/lifecycle.js';

import type { Tree } from '../support/translations.js';
const at = (tree: Tree, path: string): string | undefined => {
  let node: string | Tree | undefined = tree;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
};
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

const square = [{ x: 0.1, y: 0.1 }, { x: 0.4, y: 0.1 }, { x: 0.4, y: 0.4 }, { x: 0.1, y: 0.4 }];
const bowTie = [{ x: 0.1, y: 0.1 }, { x: 0.5, y: 0.5 }, { x: 0.5, y: 0.1 }, { x: 0.1, y: 0.5 }];

function thrown(fn: () => unknown): ContractError {
  try { fn(); } catch (err) { if (err instanceof ContractError) return err; throw err; }
  throw new Error('did not throw');
}

afterAll(async () => { await setLanguage('en'); });

describe('API error messages in three languages', () => {
  it('every reason code and every bridge error code has a sentence in en, ru and kk with the same placeholders', () => {
    const keys = [...ERROR_REASON_CODES.map((c) => `apiErrors.${c}`), ...BRIDGE_ERROR_CODES.map((c) => `apiErrors.code.${c}`), 'apiErrors.outsideHours'];
    const bad: string[] = [];
    for (const key of keys) {
      const texts = { en: at(en as Tree, key), ru: at(ru as Tree, key), kk: at(kk as Tree, key) };
      for (const [lng, text] of Object.entries(texts)) if (!text?.trim()) bad.push(`${lng}: ${key} missing`);
      if (texts.en && JSON.stringify(placeholders(texts.ru ?? '')) !== JSON.stringify(placeholders(texts.en))) bad.push(`ru: ${key} placeholders`);
      if (texts.en && JSON.stringify(placeholders(texts.kk ?? '')) !== JSON.stringify(placeholders(texts.en))) bad.push(`kk: ${key} placeholders`);
    }
    expect(bad).toEqual([]);
    expect(keys.length).toBe(ERROR_REASON_CODES.length + BRIDGE_ERROR_CODES.length + 1);
  });

  it('mask validation gives a reason for each bad polygon (crossing edges, outside the picture, too few points, a name twice)', () => {
    expect(thrown(() => validateMasks('cam-a', [{ name: 'Window', kind: 'liftable', points: bowTie }])).reason).toEqual({ code: 'edgesCross', params: { name: 'Window' } });
    expect(thrown(() => validateMasks('cam-a', [{ name: 'x', kind: 'liftable', points: [{ x: 1.2, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }] }])).reason).toEqual({ code: 'pointOutside', params: {} });
    expect(thrown(() => validateMasks('cam-a', [{ name: 'x', kind: 'permanent', points: square.slice(0, 2) }])).reason).toEqual({ code: 'tooFewPoints', params: { min: 3 } });
    expect(thrown(() => validateMasks('cam-a', [{ name: 'x', kind: 'permanent', points: [{ x: 0.1, y: 0.1 }, { x: 0.2, y: 0.2 }, { x: 0.3, y: 0.3 }] }])).reason?.code).toBe('noArea');
    expect(thrown(() => validateMasks('cam-a', [{ name: 'a', kind: 'liftable', points: square }, { name: 'A', kind: 'permanent', points: square }])).reason).toEqual({ code: 'nameTwice', params: { name: 'A' } });
    expect(thrown(() => validateMasks('cam-a', [{ name: 'x', kind: 'blurred', points: square }])).reason?.code).toBe('maskKind');
    // the message stays the host's English for logs and scripts
    expect(thrown(() => validateMasks('cam-a', [{ name: 'Window', kind: 'liftable', points: bowTie }])).message).toMatch(/mask "Window": its edges cross each other/);
  });

  it('zones share the polygon checks and their reasons', () => {
    expect(zoneShapeProblem({ kind: 'zone', name: 'Gate', points: bowTie })?.reason).toEqual({ code: 'edgesCross', params: { name: 'Gate' } });
    expect(zoneShapeProblem({ kind: 'zone', name: 'Gate', points: square })).toBeNull();
    expect(zoneShapeProblem({ kind: 'line', name: 'W', points: [{ x: 0.5, y: 0.5 }, { x: 0.5, y: 0.501 }], direction: 'both' })?.reason.code).toBe('lineTooShort');
  });

  it('an issue the schema raises without a known text gets a generic reason naming the field; one without a field keeps none', () => {
    const r = CameraMasks.safeParse({ cameraId: 'NOT A CAMERA', masks: [], lift: null });
    expect(r.success).toBe(false);
    expect(reasonOfIssue(r.error!.issues[0]!)).toEqual({ code: 'badValue', params: { field: 'cameraId' } });
    const long = z.object({ note: z.string().max(5), n: z.number().max(3), list: z.array(z.number()).min(2) }).safeParse({ note: 'too long', n: 9, list: [1] });
    expect(long.error!.issues.map((i) => reasonOfIssue(i))).toEqual([
      { code: 'tooLong', params: { field: 'note', max: 5 } }, { code: 'tooBig', params: { field: 'n', max: 3 } }, { code: 'tooFewItems', params: { field: 'list', min: 2 } },
    ]);
    expect(reasonOfIssue(z.string().safeParse(5).error!.issues[0]!)).toBeNull();
  });

  it('the real dispatch carries the reason of a thrown refusal and of a schema refusal of the params', async () => {
    const log = createLogger({ level: 'error' });
    const service = {
      'masks.save': () => { throw new ContractError('forbidden', 'forbidden: editRules on cam-a', { code: 'forbidden', params: { right: 'editRules', camera: 'cam-a' } }); },
    } as unknown as HostService;
    const refused = await dispatch(service, { id: 1, method: 'masks.save', params: { cameraId: 'cam-a', masks: [], operator: 'x' } }, 'c1', log) as ReplyMessage;
    expect(refused).toEqual({ id: 1, ok: false, error: { code: 'forbidden', message: 'forbidden: editRules on cam-a', reason: { code: 'forbidden', params: { right: 'editRules', camera: 'cam-a' } } } });
    const badLift = await dispatch(service, { id: 2, method: 'masks.lift', params: { cameraId: 'cam-a', minutes: 5, reason: 'ok', operator: 'x' } }, 'c1', log) as ReplyMessage;
    expect(badLift).toMatchObject({ ok: false, error: { code: 'invalid', reason: { code: 'liftReason' } } });
    const unknown = await dispatch(service, { id: 3, method: 'nope.nope', params: {} }, 'c1', log) as ReplyMessage;
    expect(unknown).toMatchObject({ ok: false, error: { reason: { code: 'unknownRequest', params: { method: 'nope.nope' } } } });
  });

  it('cameras, the wall, replay and training refuse with a reason, and the console says it in Russian and Kazakh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-reasons-'));
    const log = createLogger({ level: 'error' });
    try {
      const shown = (err: ContractError, method: string) => errorMessage(new BridgeCallError(err.code, err.message, method, err.reason ?? null));
      const rejected = async (p: Promise<unknown>): Promise<ContractError> => {
        try { await p; } catch (err) { if (err instanceof ContractError) return err; throw err; }
        throw new Error('did not throw');
      };
      // cameras: the URL policy through the registry, an unknown camera
      const registry = new CameraRegistry({ dataDir: dir, secrets: new FileKeySecretBox(dir), notices: new NoticeBoard(), log, fileRoots: () => [] });
      const ftp = await rejected(registry.add({ name: 'Gate', mainUrl: 'ftp://cam-host/stream' } as Parameters<CameraRegistry['add']>[0], { probe: false }));
      expect(ftp.reason).toEqual({ code: 'urlProtocol', params: { field: 'mainUrl', protocol: 'ftp', allowed: 'rtsp, rtsps, http, https, srt, rtmp, file' } });
      expect(ftp.message).toMatch(/^main stream URL: protocol 'ftp' is not allowed/); // the host's English stays for logs
      const fileOff = checkStreamUrl('file:///srv/clips/a.mp4', { fileRoots: [], field: 'subUrl' });
      expect(fileOff).toMatchObject({ ok: false, reason: { code: 'urlFileOff', params: { field: 'subUrl' } } });
      // an import's rejected row carries the same reason (the camera panel says it per row)
      const imported = registry.import('json', JSON.stringify([{ name: 'Yard', mainUrl: 'rtsp://cam-host/a' }, { name: 'Gate', mainUrl: 'ftp://cam-host/stream' }]));
      expect(imported).toMatchObject({ added: 1, errors: [{ row: 2, reason: { code: 'urlProtocol', params: { field: 'mainUrl', protocol: 'ftp' } } }] });
      const gone = thrown(() => registry.remove('cam-gone'));
      expect(gone.reason).toEqual({ code: 'noCamera', params: { camera: 'cam-gone' } });
      // the wall: overlapping cells, a cell that does not exist
      const grid = makePresetLayout('2x2', [], 'live', '2x2');
      const overlap = thrown(() => checkLayout({ ...grid, cells: [...grid.cells, { x: 1, y: 1, w: 1, h: 1, cameraId: null }] }));
      expect(overlap.reason).toEqual({ code: 'cellsOverlap', params: { cell: 4, other: 3 } });
      const noCell = thrown(() => pushCamera(grid, 'cam-a', 9));
      expect(noCell.reason).toEqual({ code: 'noCell', params: { cell: 9, last: 3 } });
      // replay: a package path that does not exist
      const missing = await rejected(withPackageFolder('/nonexistent/pkg.tar', async () => null));
      expect(missing.reason).toEqual({ code: 'packageMissing', params: { path: '/nonexistent/pkg.tar' } });
      // training: an unknown scenario, cameras the console lacks
      const training = createTraining({ dataDir: dir, log, cameraIds: () => ['cam-a'], incident: () => null, audit: () => {} });
      try {
        const noScenario = await rejected(Promise.resolve().then(() => training.handlers['training.scenarios.get']({ id: 'sc-none' }, { clientId: 'c1' } as never)));
        expect(noScenario.reason).toEqual({ code: 'noScenario', params: { id: 'sc-none' } });
      } finally { training.close(); }

      // an alarm someone else claimed (the live queue and a training session's alarms)
      const engineAlarm = { id: 'A-1', state: 'claimed', owner: 'aigerim', verdict: null, sop: [] } as unknown as Parameters<typeof applyAction>[0];
      const claimed = applyAction(engineAlarm, { kind: 'claim' }, 'bolat', 0);
      if (claimed.ok) throw new Error('a claim of an alarm claimed by another was accepted');
      const claimedErr = new ContractError(claimed.code, claimed.message, claimed.reason);

      await setLanguage('ru');
      expect(shown(claimedErr, 'alarms.act')).toBe('Тревогу взял(а) aigerim: теперь работать с ней может только он(а).');
      expect(shown(ftp, 'cameras.add')).toBe('URL основного потока: протокол «ftp» не разрешён (разрешены: rtsp, rtsps, http, https, srt, rtmp, file).');
      expect(errorMessage(new BridgeCallError('invalid', 'x', 'cameras.add', fileOff.ok ? null : fileOff.reason))).toMatch(/^URL доп\. потока: файловые камеры отключены/);
      expect(shown(gone, 'cameras.remove')).toBe('Камеры «cam-gone» нет.');
      expect(shown(overlap, 'wall.setLayout')).toBe('Ячейка 4 перекрывает ячейку 3.');
      expect(shown(noCell, 'wall.push')).toBe('Ячейки 9 нет: ячейки раскладки пронумерованы от 0 до 3.');
      expect(shown(missing, 'replay.packages.import')).toBe('/nonexistent/pkg.tar не существует.');
      await setLanguage('kk');
      expect(shown(ftp, 'cameras.add')).toBe('Негізгі ағын URL: «ftp» хаттамасына рұқсат жоқ (рұқсат етілгендері: rtsp, rtsps, http, https, srt, rtmp, file).');
      expect(shown(overlap, 'wall.setLayout')).toBe('4 ұяшығы 3 ұяшығымен қабаттасады.');
    } finally { rmSync(dir, { recursive: true, force: true }); await setLanguage('en'); }
  });

  it('the console says it in the chosen language, with the right named in that language', async () => {
    const forbidden = new BridgeCallError('forbidden', 'forbidden: liftMasks on cam-a', 'masks.lift', { code: 'forbidden', params: { right: 'liftMasks', camera: 'cam-a' } });
    const crossing = new BridgeCallError('invalid', 'mask "Окно": its edges cross each other', 'masks.save', { code: 'edgesCross', params: { name: 'Окно' } });
    const plain = new BridgeCallError('not-found', "camera 'x' not found", 'cameras.get');
    await setLanguage('en');
    expect(errorMessage(forbidden)).toBe('You do not have the right "lift privacy masks" on camera cam-a.');
    expect(errorMessage(plain)).toBe("camera 'x' not found");
    await setLanguage('ru');
    expect(errorMessage(forbidden)).toBe('У вас нет права «снятие масок» на камере cam-a.');
    expect(errorMessage(crossing)).toBe('«Окно»: стороны фигуры пересекаются. Нарисуйте контур без пересечений.');
    expect(errorMessage(plain)).toBe("Не найдено: camera 'x' not found");
    const until = Date.UTC(2026, 11, 3, 17, 5, 0);
    const locked = new BridgeCallError('unauthenticated', 'wrong user name or password; too many failed sign-ins: this account is locked until …', 'access.signIn', { code: 'signInLocked', params: { until } });
    expect(errorMessage(locked)).toBe(`Слишком много неудачных попыток входа: вход заблокирован до ${formatDateTime(until)}.`);
    expect(signInError(locked)).toBe(errorMessage(locked)); // the sign-in page says it the same way
    expect(signInError(new BridgeCallError('forbidden', 'too many failed sign-ins: wait 7 s before trying again', 'access.signIn', { code: 'signInWait', params: { seconds: 7 } })))
      .toBe('Слишком много неудачных попыток входа: подождите 7 с и попробуйте снова.');
    await setLanguage('kk');
    expect(errorMessage(forbidden)).toMatch(/^cam-a камерасында сізде «.+» құқығы жоқ\.$/);
    expect(errorMessage(crossing)).toContain('қиылысады');
    expect(errorMessage(new Error('plain'))).toBe('plain');
  });
});
