/**
 * No import cycle between the project's parts (issue 9: native/simulator imported the host's paths while the host's
 * demo imports the simulator). A part is a top folder's own files or one of its folders with everything below it:
 * electron (the shells), electron/contract, electron/host, native, native/pipelines, native/simulator, native/worker,
 * renderer. ESLint has no cycle rule without a plugin, so this walks the imports itself: every relative import of a
 * .ts/.tsx file is an edge from its part to the imported file's part, and a strongly connected group of two or more
 * parts is a cycle. Inside a part (the host's services, the renderer's views) folders may import each other.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const AREAS = ['electron', 'native', 'renderer'];

/** Source files below `dir` (relative to the root). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Relative module specifiers of static imports, re-exports and dynamic imports (type-only ones count too). */
export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?:^|[\s;}])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*(?:\(\s*)?['"]([^'"]+)['"]/gm)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) specs.push(spec);
  }
  return specs;
}

/** The part a file belongs to: renderer is one part; electron/ and native/ have their own files and one per folder. */
export function partOf(file: string): string {
  const [top, second, third] = file.split('/');
  return top === 'renderer' || third === undefined ? top! : `${top}/${second}`;
}

/** The part graph: part -> part it imports from -> one file that does it (for the message). */
function partGraph(files: string[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = partOf(file);
    for (const spec of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
      const to = partOf(relative(ROOT, resolve(ROOT, dirname(file), spec)));
      if (to === from) continue;
      let edges = graph.get(from);
      if (!edges) graph.set(from, edges = new Map());
      if (!edges.has(to)) edges.set(to, `${file} imports ${spec}`);
    }
  }
  return graph;
}

/** Strongly connected groups of two or more nodes (Tarjan). */
export function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const group: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); group.push(w); } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((e) => [...e.keys()])]);
  for (const v of [...nodes].sort()) if (!idx.has(v)) visit(v);
  return out;
}

describe('import layers', () => {
  it('finds the imports it must see (and ignores comments and packages)', () => {
    expect(importsOf(`import a from './a.js';\nimport type { B } from "../b/b.js";\nexport { c } from './c.js';\n` +
      `export * from '../d.js';\nimport './side.js';\nconst e = await import('./e.js');\nimport x from 'zod';\n` +
      `// import no from './commented.js';\n/* import no from './block.js'; */\nimport {\n  f,\n  g,\n} from './fg.js';`))
      .toEqual(['./a.js', '../b/b.js', './c.js', '../d.js', './side.js', './e.js', './fg.js']);
  });

  it('names the parts', () => {
    expect(['electron/main.ts', 'electron/contract/frames.ts', 'electron/host/streams/service.ts', 'native/project-root.ts',
      'native/simulator/control.ts', 'renderer/wall/Tile.tsx', 'renderer/main.tsx'].map(partOf))
      .toEqual(['electron', 'electron/contract', 'electron/host', 'native', 'native/simulator', 'renderer', 'renderer']);
  });

  it('reports a cycle between parts, and not a chain', () => {
    const g = new Map([['a', new Map([['b', 'x']])], ['b', new Map([['c', 'x']])], ['c', new Map([['a', 'x']])], ['d', new Map([['a', 'x']])]]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', new Map([['b', 'x']])], ['b', new Map()]]))).toEqual([]);
  });

  it('has no import cycle between the parts of electron/, native/ and renderer/', () => {
    const graph = partGraph(AREAS.flatMap(sources));
    expect(graph.get('electron/host')?.has('native/simulator')).toBe(true); // it really read the tree (the demo)
    const found = cycles(graph).map((group) => group.map((f) => `${f} -> ${[...graph.get(f)!].filter(([to]) => group.includes(to)).map(([, why]) => why).join('; ')}`));
    expect(found).toEqual([]);
  });
});
