/**
 * Issue 12 §5 and §7 through the real web shell: a forbidden request, bad input (a user name of 10,000 characters, a
 * number below its minimum) and the access routes' own refusals reach the console with a reason code
 * (electron/contract/api-errors.ts), and the console shows them in Russian (renderer/app/ui-errors.ts), not the host's
 * English. One refusal of each area that has reasons of its own (cameras, the wall, replay, training) is said in Russian too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorReason } from '../../electron/contract/api-errors.js';
import type { ReplyMessage } from '../../electron/contract/api.js';
import { BridgeCallError } from '../../renderer/bridge/client.js';
import { errorMessage } from '../../renderer/app/ui-errors.js';
import { setLanguage } from '../../renderer/i18n/i18n.js';
import { ApiClient } from '../support/api-client.js';
import { demoUser, signIn, startWebShell, type RunningShell } from '../support/harness.js';

/** What the console's bridge makes of a refusal (renderer/bridge/client.ts), then what the operator reads. */
function shown(method: string, reply: ReplyMessage): { code: string; reason: ErrorReason | null; english: string; text: string } {
  if (reply.ok) throw new Error(`${method} was not refused`);
  const reason = ErrorReason.safeParse(reply.error.reason);
  const err = new BridgeCallError(reply.error.code, reply.error.message, method, reason.success ? reason.data : null);
  return { code: reply.error.code, reason: err.reason, english: reply.error.message, text: errorMessage(err) };
}
const CYRILLIC = /[А-Яа-яЁё]/;

describe('host refusals in Russian (real web shell)', () => {
  let shell: RunningShell;
  beforeAll(async () => { shell = await startWebShell(); await setLanguage('ru'); }, 120_000);
  afterAll(async () => { await setLanguage('en'); await shell?.close(); });

  it('a forbidden request and bad input show a translated message', async () => {
    const op = demoUser('operator');
    const api = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, op.name, op.password));
    try {
      // forbidden: an operator may not manage users
      const forbidden = shown('access.users.remove', await api.raw('access.users.remove', { name: 'auditor' }));
      expect(forbidden.code).toBe('forbidden');
      expect(forbidden.reason?.code).toMatch(/^forbidden/);
      expect(forbidden.text).toMatch(CYRILLIC);
      expect(forbidden.text).not.toContain(forbidden.english);
      expect(forbidden.text).not.toMatch(/forbidden|manageUsers/);
      // bad input: a number below the contract's minimum (generic schema reason naming the field)
      const admin = demoUser('administrator');
      const adminApi = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, admin.name, admin.password));
      try {
        const tooSmall = shown('audit.retention', await adminApi.raw('audit.retention', { days: 0 }));
        expect(tooSmall).toMatchObject({ code: 'invalid', reason: { code: 'tooSmall', params: { field: 'days', min: 1 } }, text: '«days»: значение должно быть не меньше 1.' });
        const noUser = shown('access.users.remove', await adminApi.raw('access.users.remove', { name: 'nobody-here' }));
        expect(noUser).toMatchObject({ code: 'not-found', reason: { code: 'noUser' }, text: 'Пользователя «nobody-here» нет.' });
        const self = shown('access.users.remove', await adminApi.raw('access.users.remove', { name: admin.name }));
        expect(self.text).toBe('Нельзя удалить собственную учётную запись.');
      } finally { adminApi.close(); }
    } finally { api.close(); }
  }, 120_000);

  it('cameras, the wall, replay and training: one refusal per area, in Russian', async () => {
    const api = await ApiClient.connect(shell.info.origin, shell.info.token); // the administrator
    try {
      const camera = shown('cameras.add', await api.raw('cameras.add', { camera: { name: 'Gate', mainUrl: 'ftp://cam-host/stream' }, probe: false }));
      expect(camera).toMatchObject({ code: 'invalid', reason: { code: 'urlProtocol', params: { field: 'mainUrl', protocol: 'ftp' } } });
      expect(camera.text).toBe('URL основного потока: протокол «ftp» не разрешён (разрешены: rtsp, rtsps, http, https, srt, rtmp, file).');
      const wall = shown('layouts.remove', await api.raw('layouts.remove', { id: 'no-such-layout' }));
      expect(wall).toMatchObject({ code: 'not-found', reason: { code: 'noLayout' }, text: 'Сохранённой раскладки «no-such-layout» нет.' });
      const replay = shown('replay.incidents.get', await api.raw('replay.incidents.get', { id: 'inc-none' }));
      expect(replay).toMatchObject({ code: 'not-found', reason: { code: 'noIncident' }, text: 'Инцидента «inc-none» нет.' });
      const training = shown('training.scenarios.remove', await api.raw('training.scenarios.remove', { id: 'sc-none', operator: 'x' }));
      expect(training).toMatchObject({ code: 'not-found', reason: { code: 'noScenario' }, text: 'Учебного сценария «sc-none» нет.' });
      for (const r of [camera, wall, replay, training]) expect(r.text).not.toContain(r.english);
    } finally { api.close(); }
  }, 60_000);

  it('sign-in refusals: a user name of 10,000 characters and a wrong password', async () => {
    const start = await ApiClient.connect(shell.info.origin, shell.info.startToken);
    try {
      const long = shown('access.signIn', await start.raw('access.signIn', { user: 'x'.repeat(10_000), password: 'whatever' }));
      expect(long).toMatchObject({ code: 'invalid', reason: { code: 'badUserName' } });
      expect(long.text).toBe('Имя пользователя: от 1 до 64 символов, без пробелов, «/», «\\», «:» и управляющих символов.');
      const wrong = shown('access.signIn', await start.raw('access.signIn', { user: 'operator', password: 'not-the-password' }));
      expect(wrong).toMatchObject({ code: 'unauthenticated', reason: { code: 'signInWrong' }, text: 'Неверное имя пользователя или пароль.' });
    } finally { start.close(); }
  }, 60_000);
});
