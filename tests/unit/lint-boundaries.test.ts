/**
 * The layer rules of eslint.config.js bite (STYLE.md §1, issue 9): each import a folder must not make is an error
 * there, and the imports it may make are not. Runs ESLint itself on snippets placed at paths inside the tree.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The no-restricted-imports messages ESLint gives `code` as if it were the file at `path`. */
async function restricted(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath: resolve(ROOT, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: Array<[path: string, code: string, allowed: boolean]> = [
  ['renderer/wall/probe-a.ts', "import { x } from '../../electron/host/paths.js';", false],
  ['renderer/wall/probe-a.ts', "import { x } from '../../electron/web-shell.js';", false],
  ['renderer/wall/probe-a.ts', "import { x } from '../../native/simulator/timestamp-code.js';", false],
  ['renderer/wall/probe-a.ts', "import { x } from 'node:fs';", false],
  ['renderer/wall/probe-a.ts', "import { x } from 'electron';", false],
  ['renderer/wall/probe-a.ts', "import { x } from '../../electron/contract/frames.js';", true],
  ['renderer/wall/probe-a.ts', "import { x } from './frame-socket.js';", true],
  ['native/simulator/probe-a.ts', "import { x } from '../../electron/host/paths.js';", false],
  ['native/simulator/probe-a.ts', "import { x } from 'node:child_process';", true],
  ['native/simulator/probe-a.ts', "import { x } from '../project-root.js';", true],
  ['native/pipelines/probe-a.ts', "import { x } from 'node:child_process';", false],
  ['native/pipelines/probe-a.ts', "import { x } from '../simulator/control.js';", false],
  ['native/pipelines/probe-a.ts', "import { x } from '../project-root.js';", false],
  ['native/pipelines/probe-a.ts', "import { x } from '../../electron/host/log.js';", false],
  ['native/pipelines/probe-a.ts', "import type { x } from '../../electron/contract/schemas.js';", true],
  ['electron/host/streams/probe-a.ts', "import { x } from 'electron';", false],
  ['electron/host/streams/probe-a.ts', "import { x } from '../../../renderer/wall/wall-model.js';", false],
  ['electron/host/streams/probe-a.ts', "import { x } from '../../../native/pipelines/gstreamer.js';", true],
  ['electron/host/streams/probe-a.ts', "import { x } from 'node:fs';", true],
  ['electron/contract/probe-a.ts', "import { x } from '../host/paths.js';", false],
  ['electron/contract/probe-a.ts', "import { x } from 'node:fs';", false],
  ['electron/contract/probe-a.ts', "import { x } from './schemas.js';", true],
  ['electron/main.ts', "import { x } from 'electron';", true],
];

describe('lint boundaries', () => {
  it.each(cases)('%s: %s (allowed: %s)', async (path, code, allowed) => {
    const messages = await restricted(path, code);
    if (allowed) expect(messages).toEqual([]);
    else expect(messages.length).toBe(1);
  }, 30_000);
});
