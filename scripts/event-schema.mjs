// `npm run schema:events`: writes docs/event.schema.json from the zod event model (electron/contract/events-schema.ts).
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './ensure.mjs';

const out = join(root, 'dist', 'event-json-schema.mjs');
await build({ entryPoints: [join(root, 'electron/contract/event-json-schema.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
const { eventJsonSchema } = await import(out);
writeFileSync(join(root, 'docs', 'event.schema.json'), JSON.stringify(eventJsonSchema(), null, 2) + '\n');
console.log('[kuzet] wrote docs/event.schema.json');
