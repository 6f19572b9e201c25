/**
 * The administrator's role form (issue 12, §2): a custom role's id follows its name until typed; grants per camera with
 * a time window become the contract's role; bad ids, taken ids and empty names are problems in words; a built-in role
 * keeps its id and flag when its grants change.
 */
import { describe, expect, it } from 'vitest';
import { Role } from '../../electron/contract/access/access-schema.js';
import { emptyRoleForm, formOfRole, roleIdFromName, roleOfForm, withName } from '../../renderer/admin/role-form.js';
import { newGrant } from '../../renderer/admin/user-form.js';

const builtIns = [Role.parse({ id: 'operator', name: 'Operator', builtIn: true, grants: [{ rights: ['viewLive'], scope: { kind: 'all' } }] })];

describe('role form', () => {
  it('a contractor seeing one camera by day becomes a role with a camera scope and a time window', () => {
    let f = withName(emptyRoleForm(), 'Contractor (day)');
    expect(f.id).toBe('contractor-day');
    f = { ...f, id: 'contractor', idTyped: true };
    f = withName(f, 'Day contractor'); // the typed id stays
    expect(f.id).toBe('contractor');
    f = { ...f, grants: [{ ...newGrant('Asia/Almaty'), cameraIds: ['gate-1'], windowOn: true, days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }] };
    expect(roleOfForm(f, builtIns)).toEqual({
      problems: [],
      role: { id: 'contractor', name: 'Day contractor', builtIn: false, grants: [{ rights: ['viewLive'], scope: { kind: 'cameras', ids: ['gate-1'] }, windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00', timeZone: 'Asia/Almaty' }] }] },
    });
  });

  it('refuses a bad id, an id in use, an empty name and a grant without cameras, as message keys', () => {
    expect(roleOfForm({ ...emptyRoleForm(), id: '9lives', name: 'x' }, builtIns).problems).toEqual(['roles.problem.id']);
    expect(roleOfForm({ ...emptyRoleForm(), id: 'operator', name: 'x' }, builtIns).problems).toEqual(['roles.problem.idTaken']);
    expect(roleOfForm({ ...emptyRoleForm(), id: 'auditor', name: 'x' }, []).problems).toEqual(['roles.problem.idTaken']);
    expect(roleOfForm({ ...emptyRoleForm(), id: 'watch', name: '  ' }, builtIns).problems).toEqual(['roles.problem.name']);
    expect(roleOfForm({ ...emptyRoleForm(), id: 'watch', name: 'Watch', grants: [newGrant('Asia/Almaty')] }, builtIns).problems).toEqual(['admin.problem.noCameras']);
    expect(roleIdFromName('Подрядчик')).toBe(''); // no Latin letters: the id is typed
  });

  it('a built-in role keeps its id and flag when its grants change', () => {
    const f = formOfRole(builtIns[0]!, 'Asia/Almaty');
    expect(f).toMatchObject({ isNew: false, id: 'operator', builtIn: true });
    const out = roleOfForm({ ...f, grants: [{ ...f.grants[0]!, rights: ['viewLive', 'viewRecordings'] }] }, builtIns);
    expect(out.role).toMatchObject({ id: 'operator', builtIn: true, grants: [{ rights: ['viewLive', 'viewRecordings'], scope: { kind: 'all' } }] });
  });
});
