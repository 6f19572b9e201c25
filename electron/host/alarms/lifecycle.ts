/**
 * The alarm lifecycle as an explicit state machine: pure, no clock, no store.
 *
 *   new --claim--> claimed --resolve--> resolved
 *    |               |  ^--release-- (back to new)
 *    +--escalate / time-to-claim--> escalated (priority raised by one) --claim/resolve-->
 *
 * One owner at a time: a claim by someone else fails with 'conflict' and names the owner. Only the owner
 * works the SOP and resolves; resolving marks every step still pending as skipped (visible to supervisors).
 */
import type { Alarm, AlarmAction } from '../../contract/alarms-schema.js';
import { reason as because, type ErrorReason } from '../../contract/api-errors.js';

/** A refused action: `message` in the host's English, `reason` for the console to say in the operator's language. */
export type Transition =
  | { ok: true; alarm: Alarm; changed: boolean; audit: string }
  | { ok: false; code: 'conflict' | 'invalid'; message: string; reason: ErrorReason };

const fail = (code: 'conflict' | 'invalid', message: string, reason: ErrorReason): Transition => ({ ok: false, code, message, reason });
const claimedBy = (owner: string): Transition => fail('conflict', `claimed by ${owner}`, because('alarmClaimedBy', { owner }));
const next = (a: Alarm, patch: Partial<Alarm>, audit: string): Transition => ({ ok: true, changed: true, alarm: { ...a, ...patch, version: a.version + 1 }, audit });

export function applyAction(a: Alarm, action: AlarmAction, actor: string, now: number): Transition {
  if (a.state === 'resolved') return fail('invalid', `alarm ${a.id} is already resolved (${a.verdict ?? 'no verdict'}) by ${a.owner ?? 'nobody'}`, because('alarmResolved', { id: a.id, by: a.owner ?? '—' }));
  const ownedByOther = a.owner !== null && a.owner !== actor;
  switch (action.kind) {
    case 'claim':
      if (ownedByOther) return claimedBy(a.owner!);
      if (a.owner === actor) return { ok: true, changed: false, alarm: a, audit: 'claim (already owner)' };
      return next(a, { owner: actor, claimedAt: now, state: a.state === 'escalated' ? 'escalated' : 'claimed' }, 'claim');
    case 'release':
      if (a.owner !== actor) return a.owner ? claimedBy(a.owner) : fail('invalid', 'not claimed', because('alarmNotClaimed'));
      return next(a, { owner: null, state: a.state === 'escalated' ? 'escalated' : 'new' }, 'release');
    case 'escalate':
      if (ownedByOther) return claimedBy(a.owner!);
      return next(a, { state: 'escalated', escalatedAt: now, escalation: action.reason, priority: Math.max(1, a.priority - 1) }, `escalate: ${action.reason}`);
    case 'sop': {
      if (a.owner !== actor) return a.owner ? claimedBy(a.owner) : fail('invalid', 'claim the alarm before working its SOP', because('alarmClaimFirst'));
      const step = a.sop[action.step];
      if (!step) return fail('invalid', `SOP step ${action.step + 1} does not exist (${a.sop.length} steps)`, because('noSopStep', { step: action.step + 1, steps: a.sop.length }));
      const sop = a.sop.map((s, i) => (i === action.step ? { ...s, state: action.state, by: action.state === 'pending' ? null : actor, at: action.state === 'pending' ? null : now } : s));
      return next(a, { sop }, `sop step ${action.step + 1} ${action.state}: ${step.text}`);
    }
    case 'resolve': {
      if (a.owner !== actor) return a.owner ? claimedBy(a.owner) : fail('invalid', 'claim the alarm before resolving it', because('alarmClaimFirst'));
      const skipped: number[] = [];
      const sop = a.sop.map((s, i) => {
        if (s.state !== 'pending') return s;
        skipped.push(i + 1);
        return { ...s, state: 'skipped' as const, by: actor, at: now };
      });
      const comment = action.comment.trim();
      return next(a, { state: 'resolved', resolvedAt: now, verdict: action.verdict, comment: comment || null, sop },
        `resolve ${action.verdict}${skipped.length ? `; skipped SOP steps ${skipped.join(', ')}` : ''}${comment ? `: ${comment}` : ''}`);
    }
  }
}

/** The time-to-claim limit ran out: an unclaimed new alarm escalates by itself. */
export function dueForEscalation(a: Alarm, claimWithinSec: number, now: number): boolean {
  return a.state === 'new' && a.owner === null && claimWithinSec > 0 && now - a.createdAt >= claimWithinSec * 1000;
}

export function escalateUnclaimed(a: Alarm, claimWithinSec: number, now: number): Transition {
  return applyAction(a, { kind: 'escalate', reason: `not claimed within ${claimWithinSec} s` }, 'system', now);
}
