/** One plain-text line per event for the alarm queue (rendered as text, never HTML). Pure. */
import type { KuzetEvent } from '../../contract/events-schema.js';

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function describeEvent(ev: KuzetEvent): string {
  switch (ev.type) {
    case 'face_match': return `Face match: ${ev.attributes.name ?? ev.attributes.personId} (list ${ev.attributes.watchlist}, ${pct(ev.attributes.similarity)})`;
    case 'plate': return `Plate ${ev.attributes.text}${ev.attributes.watchlistHit ? ` on list ${ev.attributes.watchlist ?? 'default'}` : ''}`;
    case 'traffic_violation': {
      const a = ev.attributes;
      const what = a.violation === 'speeding' ? `Speeding ${a.speedKmh ?? '?'} km/h (limit ${a.limitKmh ?? '?'})`
        : a.violation === 'red_light' ? 'Red light violation'
          : a.violation === 'pedestrian_crossing' ? 'Pedestrian crossing violation'
            : a.violation === 'wrong_way' ? 'Wrong-way driving' : 'Traffic violation';
      return a.plate ? `${what}, plate ${a.plate}` : what;
    }
    case 'abandoned_object': return `Abandoned ${ev.attributes.class} for ${Math.round(ev.attributes.dwellSec)} s`;
    case 'crowd': return `Crowd of ${ev.attributes.count}${ev.attributes.limit !== undefined ? ` (limit ${ev.attributes.limit})` : ''}`;
    case 'tamper': return `Camera ${ev.attributes.kind}`;
    case 'camera_offline': return `Camera offline: ${ev.attributes.reason}`;
    case 'storage': return `Recording storage: ${ev.attributes.detail} (${ev.attributes.cameras} camera(s))`;
    case 'motion': return `Motion (${pct(ev.attributes.area)} of the picture)`;
    case 'object': return `${ev.attributes.label ?? ev.attributes.class}${ev.attributes.subLabel ? ` (${ev.attributes.subLabel})` : ''} detected`;
  }
}
