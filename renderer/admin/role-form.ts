/**
 * The administrator's role form as data (issue 12, §2): a custom role's id and name, and the grants of any role (rights
 * on all cameras, some cameras or some groups, optionally within time windows: a contractor by day). Built-in roles keep
 * their id and name and cannot be removed; their grants can be changed. Pure: unit-tested without a browser. The host
 * checks everything again (access.roles.save).
 */
import { BUILT_IN_ROLES, Role, RoleId, type Role as RoleT } from '../../electron/contract/access/access-schema.js';
import { grantFormOf, grantOfForm, type GrantForm } from './user-form.js';

export interface RoleForm {
  isNew: boolean;
  /** The role's id (a-z 0-9 _ -, starting with a letter), chosen when it is created; follows the name until typed. */
  id: string;
  idTyped: boolean;
  name: string;
  builtIn: boolean;
  grants: GrantForm[];
}

export const emptyRoleForm = (): RoleForm => ({ isNew: true, id: '', idTyped: false, name: '', builtIn: false, grants: [] });

export function formOfRole(r: RoleT, timeZone: string): RoleForm {
  return { isNew: false, id: r.id, idTyped: true, name: r.name, builtIn: r.builtIn, grants: r.grants.map((g) => grantFormOf(g, timeZone)) };
}

/** An id made from a name's Latin letters and digits ("Day contractor" -> "day-contractor"); empty when it has none. */
export function roleIdFromName(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
  return slug.slice(0, 32).replace(/-+$/, '');
}

/** The form after the name changed: a new role's id follows the name until the id is typed. */
export function withName(f: RoleForm, name: string): RoleForm {
  return { ...f, name, id: f.isNew && !f.idTyped ? roleIdFromName(name) : f.id };
}

/** The contract's role for the form, or the problems (message keys roles.problem.* and admin.problem.*). */
export function roleOfForm(f: RoleForm, existing: readonly RoleT[]): { role: RoleT | null; problems: string[] } {
  const problems: string[] = [];
  if (!RoleId.safeParse(f.id).success) problems.push('roles.problem.id');
  else if (f.isNew && (existing.some((r) => r.id === f.id) || (BUILT_IN_ROLES as readonly string[]).includes(f.id))) problems.push('roles.problem.idTaken');
  if (!f.name.trim()) problems.push('roles.problem.name');
  const grants = [];
  for (const g of f.grants) {
    const r = grantOfForm(g);
    if (typeof r === 'string') { if (!problems.includes(r)) problems.push(r); } else grants.push(r);
  }
  if (problems.length) return { role: null, problems };
  const parsed = Role.safeParse({ id: f.id, name: f.name.trim(), builtIn: f.builtIn, grants });
  return parsed.success ? { role: parsed.data, problems: [] } : { role: null, problems: ['roles.problem.name'] };
}
