/**
 * Two hosts (two alarm engines, each with its own SQLite) sharing one queue through a real PostgreSQL: an alarm
 * raised on one appears on the other, a claim on one shows on the other within a second, and two simultaneous
 * claims end with exactly one owner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlarmEngine } from '../../electron/host/alarms/engine.js';
import { SqliteAlarmStore } from '../../electron/host/alarms/store-sqlite.js';
import { PgAlarmBoard } from '../../electron/host/alarms/shared-board-pg.js';
import { createLogger } from '../../electron/host/log.js';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { event } from '../support/alarm-fixtures.js';
import { until } from '../support/until.js';

type Console = { engine: AlarmEngine; store: SqliteAlarmStore; board: PgAlarmBoard; seen: Map<string, Alarm>; seenAt: Map<string, number> };
let pgsrv: TestPostgres;
const dir = mkdtempSync(join(tmpdir(), 'kuzet-pg-consoles-'));
const log = createLogger({ quiet: true });
const consoles: Console[] = [];

async function host(name: string): Promise<Console> {
  const store = new SqliteAlarmStore(join(dir, `${name}.sqlite`));
  const engine = new AlarmEngine({ store, log, cameras: () => [{ id: 'cam-a' }, { id: 'cam-b' }] });
  const seen = new Map<string, Alarm>(), seenAt = new Map<string, number>();
  engine.onChange((list) => { for (const a of list) { seen.set(a.id, a); seenAt.set(`${a.id}:${a.owner ?? ''}`, Date.now()); } });
  const board = await PgAlarmBoard.open(pgsrv.url, log, (a) => engine.remote(a));
  await engine.attachBoard(board);
  const c = { engine, store, board, seen, seenAt };
  consoles.push(c);
  return c;
}

beforeAll(() => { pgsrv = startPostgres(); }, 60_000);
afterAll(async () => {
  for (const c of consoles) { await c.board.close(); c.engine.close(); c.store.close(); }
  pgsrv?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('several consoles on PostgreSQL', () => {
  it('an alarm raised on one host appears on the other; a claim shows there', async () => {
    const a = await host('a');
    const b = await host('b');
    await a.engine.submitEvent(event({ type: 'face_match', camera: 'cam-a', captureTime: Date.now() }), 'api');
    const raised = a.engine.openAlarms()[0]!;
    await until(() => b.seen.has(raised.id), 3000);
    expect(b.engine.get(raised.id)).toMatchObject({ type: 'face_match', cameraId: 'cam-a', state: 'new' });

    const t0 = Date.now();
    const claimed = await a.engine.act(raised.id, { kind: 'claim' }, 'aigerim');
    expect(claimed.owner).toBe('aigerim');
    await until(() => b.seen.get(raised.id)?.owner === 'aigerim', 15_000);
    // how soon depends on load (the notification path has no timer): a figure, not a bound
    console.log(`[alarm-postgres] claim visible on the other host after ${b.seenAt.get(`${raised.id}:aigerim`)! - t0} ms`);
    // The other operator is refused on the other host, by the database.
    await expect(Promise.resolve(b.engine.act(raised.id, { kind: 'claim' }, 'bolat'))).rejects.toThrow('claimed by aigerim');
  });

  it('two simultaneous claims on two hosts end with exactly one owner', async () => {
    const [a, b] = consoles as [Console, Console];
    for (let round = 0; round < 5; round++) {
      await b.engine.submitEvent(event({ type: 'abandoned_object', camera: 'cam-b', track: `race-${round}`, captureTime: Date.now() }), 'api');
      const alarm = b.engine.openAlarms().find((x) => x.type === 'abandoned_object' && x.state === 'new')!;
      await until(() => a.seen.has(alarm.id), 3000);
      const results = await Promise.allSettled([
        Promise.resolve(a.engine.act(alarm.id, { kind: 'claim' }, 'aigerim')),
        Promise.resolve(b.engine.act(alarm.id, { kind: 'claim' }, 'bolat')),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won, `round ${round}`).toHaveLength(1);
      const owner = (won[0] as PromiseFulfilledResult<Alarm>).value.owner;
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(String(lost.reason)).toContain(`claimed by ${owner}`);
      expect((await a.board.get(alarm.id))?.owner).toBe(owner);
      await until(() => a.engine.get(alarm.id)?.owner === owner && b.engine.get(alarm.id)?.owner === owner, 3000);
      await Promise.resolve(a.engine.act(alarm.id, { kind: 'resolve', verdict: 'false', comment: '' }, 'aigerim')).catch(() => {}); // only the owner can
    }
  });
});
