/**
 * Several consoles, one queue: alarms shared through PostgreSQL. Every host mirrors the alarms it raises into
 * `kuzet_alarms`; every operator action runs as one PostgreSQL transaction that locks the alarm row
 * (SELECT ... FOR UPDATE), applies the pure lifecycle and writes the result, so two simultaneous claims end
 * with exactly one owner. NOTIFY tells the other hosts, which re-read the row and push it to their consoles.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { Alarm, AlarmAction } from '../../contract/alarms-schema.js';
import type { Logger } from '../log.js';
import { applyAction } from './lifecycle.js';

const CHANNEL = 'kuzet_alarms';
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kuzet_alarms (id TEXT PRIMARY KEY, state TEXT NOT NULL, owner TEXT, priority INTEGER NOT NULL,
  version INTEGER NOT NULL, body JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS kuzet_alarms_open ON kuzet_alarms(state, priority);
CREATE TABLE IF NOT EXISTS kuzet_alarm_actions (seq BIGSERIAL PRIMARY KEY, alarm_id TEXT NOT NULL, at BIGINT NOT NULL,
  actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
`;

export class PgAlarmBoard {
  /** Distinguishes this host's notifications from the others'. */
  readonly origin = randomUUID();
  private constructor(private readonly pool: pg.Pool, private readonly listener: pg.Client, private readonly log: Logger) {}

  static async open(url: string, log: Logger, onRemote: (a: Alarm) => void): Promise<PgAlarmBoard> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', (e) => log.warn('PostgreSQL pool error', { error: e.message }));
    await pool.query(`SELECT pg_advisory_lock(4242); ${SCHEMA} SELECT pg_advisory_unlock(4242);`);
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const board = new PgAlarmBoard(pool, listener, log);
    listener.on('notification', (n) => {
      try {
        const msg = JSON.parse(n.payload ?? '{}') as { id?: string; origin?: string };
        if (!msg.id || msg.origin === board.origin) return;
        void board.get(msg.id).then((a) => { if (a) onRemote(a); }, (e: unknown) => log.warn('shared alarm not read', { error: String(e) }));
      } catch { /* not ours */ }
    });
    listener.on('error', (e) => log.warn('PostgreSQL listener error', { error: e.message }));
    await listener.query(`LISTEN ${CHANNEL}`);
    return board;
  }

  async get(id: string): Promise<Alarm | null> {
    const r = await this.pool.query<{ body: Alarm }>('SELECT body FROM kuzet_alarms WHERE id = $1', [id]);
    return r.rows[0]?.body ?? null;
  }

  async openAlarms(): Promise<Alarm[]> {
    return (await this.pool.query<{ body: Alarm }>(`SELECT body FROM kuzet_alarms WHERE state <> 'resolved' ORDER BY priority, (body->>'createdAt')::bigint DESC LIMIT 5000`)).rows.map((r) => r.body);
  }

  /** Alarms this host raised or updated from its events; a newer version already shared is kept. */
  async publish(alarms: readonly Alarm[]): Promise<void> {
    if (!alarms.length) return;
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      for (const a of alarms) {
        // Event-side fields only: never overwrite an operator's state, owner or SOP with an older copy.
        await c.query(`INSERT INTO kuzet_alarms(id, state, owner, priority, version, body) VALUES ($1, $2, $3, $4, $5, $6)
          ON CONFLICT (id) DO UPDATE SET version = kuzet_alarms.version + 1, updated_at = now(),
            body = kuzet_alarms.body || jsonb_build_object('count', $6::jsonb->'count', 'lastAt', $6::jsonb->'lastAt', 'lastEventId', $6::jsonb->'lastEventId',
              'attributes', $6::jsonb->'attributes', 'boxes', $6::jsonb->'boxes', 'summary', $6::jsonb->'summary', 'version', kuzet_alarms.version + 1)
              || CASE WHEN $6::jsonb ? 'endedAt' THEN jsonb_build_object('endedAt', $6::jsonb->'endedAt') ELSE '{}'::jsonb END`,
        [a.id, a.state, a.owner, a.priority, a.version, JSON.stringify(a)]);
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ id: a.id, origin: this.origin })]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally { c.release(); }
  }

  /** One operator action, serialised on the alarm's row; the committed alarm is returned. */
  async act(id: string, action: AlarmAction, operator: string, now: number): Promise<{ alarm: Alarm; audit: string }> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const row = (await c.query<{ body: Alarm }>('SELECT body FROM kuzet_alarms WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new ContractError('not-found', `no alarm ${id}`, reason('noAlarm', { id }));
      const t = applyAction(row.body, action, operator, now);
      if (!t.ok) throw new ContractError(t.code, t.message, t.reason);
      if (t.changed) {
        await c.query('UPDATE kuzet_alarms SET state = $2, owner = $3, priority = $4, version = $5, body = $6, updated_at = now() WHERE id = $1',
          [id, t.alarm.state, t.alarm.owner, t.alarm.priority, t.alarm.version, JSON.stringify(t.alarm)]);
        await c.query('INSERT INTO kuzet_alarm_actions(alarm_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)', [id, now, operator, `alarm.${action.kind}`, t.audit]);
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ id, origin: this.origin })]);
      }
      await c.query('COMMIT');
      return { alarm: t.alarm, audit: t.audit };
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally { c.release(); }
  }

  async close(): Promise<void> {
    await this.listener.end().catch(() => {});
    await this.pool.end().catch((e: unknown) => this.log.warn('PostgreSQL pool close', { error: String(e) }));
  }
}
