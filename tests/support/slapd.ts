/**
 * A throwaway OpenLDAP server for tests: Debian's slapd with its own slapd.conf, database and loopback port, loaded with
 * slapadd from an LDIF (people and groups). Killed by process group on stop. Needs the packages slapd and ldap-utils
 * (scripts/provision-system.sh installs them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SLAPD = '/usr/sbin/slapd';
export const BASE = 'dc=kuzet,dc=test';

export function slapdMissing(): string | null {
  if (!existsSync(SLAPD) || !existsSync('/usr/sbin/slapadd')) return 'slapd is not installed (Debian packages slapd and ldap-utils; scripts/provision-system.sh installs them)';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

function ssha(password: string): string {
  const r = spawnSync('/usr/sbin/slappasswd', ['-h', '{SSHA}', '-s', password], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`slappasswd failed: ${r.stderr}`);
  return r.stdout.trim();
}

export interface DirectoryUser { uid: string; cn: string; password: string; groups: string[] }

/** `pause` resolves once every thread of slapd is stopped (SIGSTOP takes effect when a thread is next scheduled). */
export interface RunningSlapd { url: string; port: number; stop(): Promise<void>; pause(): Promise<void>; resume(): void; kill(): Promise<void> }

/** Each thread's state letter of a process (/proc/<pid>/task/<tid>/stat, after the command's closing parenthesis). */
function threadStates(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    });
  } catch { return []; }
}

export async function startSlapd(users: DirectoryUser[]): Promise<RunningSlapd> {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-slapd-'));
  mkdirSync(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  writeFileSync(conf, [
    'include /etc/ldap/schema/core.schema', 'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema', 'include /etc/ldap/schema/nis.schema',
    `pidfile ${join(dir, 'slapd.pid')}`, 'modulepath /usr/lib/ldap', 'moduleload back_mdb',
    'database mdb', `suffix "${BASE}"`, `rootdn "cn=admin,${BASE}"`, 'rootpw admin-secret', `directory ${join(dir, 'db')}`,
    'maxsize 10485760', 'access to attrs=userPassword by anonymous auth by * none', 'access to * by * read', '',
  ].join('\n'));
  const groups = [...new Set(users.flatMap((u) => u.groups))];
  const ldif = [
    `dn: ${BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Kuzet test\ndc: kuzet`,
    `dn: ou=people,${BASE}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE}\nobjectClass: organizationalUnit\nou: groups`,
    ...users.map((u) => `dn: uid=${u.uid},ou=people,${BASE}\nobjectClass: inetOrgPerson\nuid: ${u.uid}\ncn: ${u.cn}\nsn: ${u.cn.split(' ').at(-1)}\nuserPassword: ${ssha(u.password)}`),
    ...groups.map((g) => `dn: cn=${g},ou=groups,${BASE}\nobjectClass: groupOfNames\ncn: ${g}\n${users.filter((u) => u.groups.includes(g)).map((u) => `member: uid=${u.uid},ou=people,${BASE}`).join('\n')}`),
  ].join('\n\n') + '\n';
  writeFileSync(join(dir, 'data.ldif'), ldif);
  const add = spawnSync('/usr/sbin/slapadd', ['-f', conf, '-l', join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let proc: ChildProcess | null = null;
  const launch = async () => {
    proc = spawn(SLAPD, ['-f', conf, '-h', `${url}/`, '-d', '0'], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    const t0 = Date.now();
    for (;;) {
      const r = spawnSync('/usr/bin/ldapsearch', ['-x', '-H', url, '-b', BASE, '-s', 'base', 'dn'], { encoding: 'utf8', timeout: 5000 });
      if (r.status === 0) return;
      if (proc.exitCode !== null || proc.signalCode !== null || Date.now() - t0 > 20_000) throw new Error(`slapd did not start: ${err}`);
      await new Promise((r2) => setTimeout(r2, 100));
    }
  };
  await launch();
  const signal = (s: NodeJS.Signals) => { const p = proc as ChildProcess | null; if (p?.pid) try { process.kill(-p.pid, s); } catch { /* gone */ } };
  const kill = async () => {
    const p = proc as ChildProcess | null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    signal('SIGCONT');
    signal('SIGKILL');
    await exited;
  };
  return {
    url, port,
    async pause() {
      // the test's stalled directory must be stalled before the sign-in: wait until no thread can answer any more
      signal('SIGSTOP');
      const pid = (proc as ChildProcess | null)?.pid;
      const t0 = Date.now();
      for (;;) {
        const states = pid ? threadStates(pid) : [];
        if (states.length > 0 && states.every((st) => st === 'T' || st === 't')) return;
        if (Date.now() - t0 > 10_000) throw new Error(`slapd did not stop within 10 s after SIGSTOP (thread states: ${states.join('') || 'none'})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    resume: () => signal('SIGCONT'),
    kill,
    async stop() { await kill(); rmSync(dir, { recursive: true, force: true }); },
  };
}
