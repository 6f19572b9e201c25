/**
 * The access part of the contract (issue 12): sign-in, sessions, shift hand-over, users, roles. Merged into api.ts.
 * Requests marked "public" need no session (a console that has not signed in yet); every other request of the whole
 * contract needs one and is checked against the caller's rights in the host (electron/host/access/route-rights.ts).
 */
import { z } from 'zod';
import { Alarm } from '../alarms-schema.js';
import { Me, NewPassword, Password, Role, RoleId, SessionEvent, User, UserInput, UserName } from './access-schema.js';

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

/** A new session: the token replaces the start token in this console's URLs (frames, recordings, reconnects). */
export const SignedIn = z.object({ sessionToken: z.string(), me: Me });

export const accessRequests = {
  /** Public. Who is signed in on this connection (null: show the sign-in page) and whether directory sign-in exists. */
  'access.whoami': { params: Empty, result: z.object({ me: Me.nullable(), directory: z.boolean() }) },
  /** Public. Local account or directory (LDAP) sign-in; binds this connection to the new session. */
  'access.signIn': { params: z.object({ user: UserName, password: Password }), result: SignedIn },
  /**
   * Public. Exchanges a one-time sign-in ticket (the map window's address carries one: `map.openWindow`) for a session of
   * its own for the ticket's user; a ticket is good once, for 60 s, while the session that asked for it lasts.
   */
  'access.signInTicket': { params: z.object({ ticket: z.string().min(1).max(200) }).strict(), result: SignedIn },
  /** Ends this connection's session; its token is refused from now on. */
  'access.signOut': { params: Empty, result: Ok },
  /** The operator touched the console (keys, mouse): the idle timer starts again. */
  'access.activity': { params: Empty, result: Ok },
  /** Locks the console now (the operator steps away). */
  'access.lock': { params: Empty, result: Ok },
  /** Unlocks a locked console with the signed-in user's password. */
  'access.unlock': { params: z.object({ password: Password }), result: z.object({ me: Me }) },
  /**
   * Shift hand-over: the next operator signs in on the running console; the previous user's session ends and the
   * console (its token, its connections, the wall) carries on as the new user's; the open alarms they take over are listed.
   */
  'access.handOver': {
    params: z.object({ user: UserName, password: Password }),
    result: z.object({ me: Me, from: z.string().nullable(), openAlarms: z.array(Alarm) }),
  },
  /** Remembers the signed-in user's interface language (applied at their next sign-in on any console). */
  'access.language': { params: z.object({ language: z.enum(['kk', 'ru', 'en']) }), result: Ok },
  'access.changePassword': { params: z.object({ current: Password, next: NewPassword }), result: Ok },
  'access.users.list': { params: Empty, result: z.array(User) },
  /** Creates or changes a user; disabling ends the user's sessions at once. */
  'access.users.save': { params: z.object({ user: UserInput }), result: User },
  'access.users.remove': { params: z.object({ name: UserName }), result: Ok },
  'access.roles.list': { params: Empty, result: z.array(Role) },
  /** Creates or replaces a custom role (built-in roles keep their id; their grants may be changed). */
  'access.roles.save': { params: z.object({ role: Role }), result: Role },
  'access.roles.remove': { params: z.object({ id: RoleId }), result: Ok },
} as const;

export const accessEvents = {
  /** One session changed (sent only to the connections of that session). */
  'access.session': SessionEvent,
} as const;


