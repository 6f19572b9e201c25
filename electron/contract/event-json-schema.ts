/** The event model as JSON Schema (docs/event.schema.json), generated from the zod schema the host validates with. */
import { z } from 'zod';
import { EVENT_MODEL_VERSION, KuzetEvent } from './events-schema.js';

export function eventJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://kuzet.kz/schemas/event-v${EVENT_MODEL_VERSION}.json`,
    title: `Kuzet analytics event, version ${EVENT_MODEL_VERSION}`,
    ...z.toJSONSchema(KuzetEvent, { io: 'input', unrepresentable: 'any' }),
  };
}
