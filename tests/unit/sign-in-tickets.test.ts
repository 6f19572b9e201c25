// The map window's one-time sign-in tickets (electron/host/access/sign-in-tickets.ts): good once, for 60 s (fake clock),
// a forged one refused, and the grant is the user and session the ticket was minted for, whoever presents it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignInTickets } from '../../electron/host/access/sign-in-tickets.js';

beforeEach(() => { vi.useFakeTimers({ now: Date.UTC(2026, 11, 4, 9, 0) }); });
afterEach(() => { vi.useRealTimers(); });

const grant = { userKey: 'operator', parentTokenHash: 'a'.repeat(64) };

describe('sign-in tickets', () => {
  it('is used once: the second redemption is refused as used, and the grant is the minted one', () => {
    const tickets = new SignInTickets();
    const t = tickets.mint(grant);
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    expect(tickets.redeem(t)).toEqual({ ok: true, grant });
    expect(tickets.redeem(t)).toEqual({ ok: false, refusal: 'ticketUsed' });
    vi.advanceTimersByTime(5 * 60_000);
    expect(tickets.redeem(t)).toEqual({ ok: false, refusal: 'ticketUsed' });
  });

  it('expires after 60 s (good at 59.999 s), and is told apart from a forged one for a while only', () => {
    const tickets = new SignInTickets();
    const early = tickets.mint(grant);
    const late = tickets.mint({ userKey: 'supervisor', parentTokenHash: 'b'.repeat(64) });
    vi.advanceTimersByTime(59_999);
    expect(tickets.redeem(early)).toEqual({ ok: true, grant });
    vi.advanceTimersByTime(1);
    expect(tickets.redeem(late)).toEqual({ ok: false, refusal: 'ticketExpired' });
    vi.advanceTimersByTime(10 * 60_000);
    expect(tickets.redeem(late)).toEqual({ ok: false, refusal: 'ticketUnknown' });
  });

  it('refuses forged tickets: random, empty, overlong, one character changed; each ticket is its own user\'s', () => {
    const tickets = new SignInTickets();
    const a = tickets.mint(grant);
    const b = tickets.mint({ userKey: 'supervisor', parentTokenHash: 'b'.repeat(64) });
    expect(a).not.toBe(b);
    const changed = `${a.slice(0, -1)}${a.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of ['', 'x'.repeat(43), 'x'.repeat(5000), changed]) expect(tickets.redeem(forged)).toEqual({ ok: false, refusal: 'ticketUnknown' });
    expect(tickets.redeem(b)).toEqual({ ok: true, grant: { userKey: 'supervisor', parentTokenHash: 'b'.repeat(64) } });
    expect(tickets.redeem(a)).toEqual({ ok: true, grant }); // the forgeries used nothing up
  });
});
