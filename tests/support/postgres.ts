/**
 * A throwaway PostgreSQL cluster for a test: Debian's initdb + pg_ctl run as the `postgres` user (CI runs as
 * root, which PostgreSQL refuses), listening only on a Unix socket in its own temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres { url: string; close(): void }

function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL is not installed (Debian package postgresql; scripts/provision-system.sh installs it)');
  return join(base, versions[0]!, 'bin');
}

export function startPostgres(): TestPostgres {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-pg-'));
  chmodSync(dir, 0o777);
  const asPostgres = (cmd: string, args: string[]) => {
    const root = process.getuid?.() === 0;
    execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe' });
  };
  const data = join(dir, 'data');
  asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-k ${dir} -c listen_addresses='' -c fsync=off`, 'start']);
  return {
    url: `postgresql://postgres@/postgres?host=${encodeURIComponent(dir)}`,
    close() {
      try { asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
