/**
 * One-time sign-in tickets (issue 10, the map window): the host gives a browser it starts (the map in its own process
 * and profile, which cannot read the wall's sessionStorage) a ticket in its address instead of the user's session token.
 * The page exchanges the ticket once for a session of its own for the same user (`access.signInTicket`). A ticket is
 * 256 random bits; only its SHA-256 is kept. It is good for `ttlMs` (60 s), once; a used or expired ticket is
 * remembered for a while longer so the refusal can say which it was, then it is as unknown as a forged one. Plain Node.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Why a ticket was refused (each is an `apiErrors.<code>` the console translates). */
export type TicketRefusal = 'ticketUsed' | 'ticketExpired' | 'ticketUnknown';

/** Who a ticket signs in, and the session that asked for it (the new session ends with it). */
export interface TicketGrant { userKey: string; parentTokenHash: string }

interface Entry extends TicketGrant { expiresAt: number; used: boolean }

/** How long a used or expired ticket is still told apart from a forged one. */
const REMEMBER_MS = 10 * 60_000;
/** A signed-in console asks for a map window at a time; more than this many live tickets means something is wrong. */
const MAX_ENTRIES = 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class SignInTickets {
  private readonly entries = new Map<string, Entry>(); // by the ticket's SHA-256

  constructor(private readonly now: () => number = Date.now, readonly ttlMs = 60_000) {}

  /** A new ticket for `grant`, good once within ttlMs; returned once, never stored. */
  mint(grant: TicketGrant): string {
    this.prune();
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!); // the oldest goes
    const ticket = randomBytes(32).toString('base64url');
    this.entries.set(sha256(ticket), { ...grant, expiresAt: this.now() + this.ttlMs, used: false });
    return ticket;
  }

  /** Uses the ticket up: its grant, or why not. A second call with the same ticket is always refused. */
  redeem(ticket: string): { ok: true; grant: TicketGrant } | { ok: false; refusal: TicketRefusal } {
    this.prune();
    const e = typeof ticket === 'string' && ticket.length <= 200 ? this.entries.get(sha256(ticket)) : undefined;
    if (!e) return { ok: false, refusal: 'ticketUnknown' };
    if (e.used) return { ok: false, refusal: 'ticketUsed' };
    if (this.now() >= e.expiresAt) return { ok: false, refusal: 'ticketExpired' };
    e.used = true;
    return { ok: true, grant: { userKey: e.userKey, parentTokenHash: e.parentTokenHash } };
  }

  private prune(): void {
    const t = this.now();
    for (const [k, e] of this.entries) if (t >= e.expiresAt + REMEMBER_MS) this.entries.delete(k);
  }
}
