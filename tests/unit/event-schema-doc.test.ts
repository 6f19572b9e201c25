import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonSchema } from '../../electron/contract/event-json-schema.js';
import { KuzetEvent } from '../../electron/contract/events-schema.js';
import { frigateDirectory, fromFrigateEvent, fromFrigateUpdate } from '../../electron/host/alarms/frigate-adapter.js';
import { ROOT } from '../support/harness.js';

describe('event model', () => {
  it('docs/event.schema.json is the schema the host validates with (regenerate: npm run schema:events)', () => {
    const doc = JSON.parse(readFileSync(join(ROOT, 'docs', 'event.schema.json'), 'utf8')) as unknown;
    expect(doc).toEqual(eventJsonSchema());
  });

  it('the examples in docs/events.md validate', () => {
    const md = readFileSync(join(ROOT, 'docs', 'events.md'), 'utf8');
    const examples = [...md.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const ex of examples) {
      // Frigate's own messages, mapped for a Kuzet camera that Frigate's names feed (detect size set)
      const frigate = { target: frigateDirectory([{ id: 'porch', frigate: { names: ['front_door', 'driveway_cam'], detectWidth: 1280, detectHeight: 720 } }]), track: () => undefined };
      if ((ex as { after?: unknown }).after) { expect(fromFrigateEvent(ex, frigate)).toHaveProperty('event'); continue; }
      if (['face', 'lpr'].includes((ex as { type?: string }).type ?? '')) { expect(fromFrigateUpdate(ex, frigate)).toHaveProperty('event'); continue; }
      const r = KuzetEvent.safeParse(ex);
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    }
  });
});
