/**
 * One plain-text line per event (the alarm queue, overlay labels, burned-in exports), in any language: the text is
 * looked up by key in resources/locales (`events.*`), so the host (English, for logs and exports) and each window
 * (the operator's language) say the same thing. Pure; rendered as text, never HTML.
 */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** The fields of an event (or of an alarm, which carries its event's type and attributes) that the line uses. */
export interface DescribedEvent { type: string; attributes: Record<string, unknown> }

const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);
const pct = (x: unknown): string => `${Math.round((num(x) ?? 0) * 100)} %`;

export function describeEvent(ev: DescribedEvent, t: Translate): string {
  const a = ev.attributes;
  switch (ev.type) {
    case 'face_match': return t('events.faceMatch', { name: str(a.name) ?? str(a.personId) ?? '?', list: str(a.watchlist) ?? '?', similarity: pct(a.similarity) });
    case 'plate': return a.watchlistHit ? t('events.plateOnList', { plate: str(a.text) ?? '?', list: str(a.watchlist) ?? 'default' }) : t('events.plate', { plate: str(a.text) ?? '?' });
    case 'traffic_violation': {
      const v = str(a.violation) ?? 'other';
      const what = v === 'speeding' ? t('events.speeding', { speed: num(a.speedKmh) ?? '?', limit: num(a.limitKmh) ?? '?' })
        : ['red_light', 'pedestrian_crossing', 'wrong_way'].includes(v) ? t(`events.violation.${v}`) : t('events.violation.other');
      return str(a.plate) ? t('events.withPlate', { what, plate: str(a.plate)! }) : what;
    }
    case 'abandoned_object': return t('events.abandoned', { object: t(`objects.${str(a.class) ?? 'other'}`), seconds: Math.round(num(a.dwellSec) ?? 0) });
    case 'crowd': return num(a.limit) !== undefined ? t('events.crowdLimit', { count: num(a.count) ?? 0, limit: num(a.limit)! }) : t('events.crowd', { count: num(a.count) ?? 0 });
    case 'tamper': return t(`events.tamper.${str(a.kind) ?? 'moved'}`);
    case 'camera_offline': return t('events.cameraOffline', { reason: str(a.reason) ?? '?' });
    case 'storage': return t('events.storage', { detail: str(a.detail) ?? '', count: num(a.cameras) ?? 0 });
    case 'motion': return t('events.motion', { area: pct(a.area) });
    case 'object': {
      const label = str(a.label) ?? t(`objects.${str(a.class) ?? 'other'}`);
      return str(a.subLabel) ? t('events.objectSub', { label, sub: str(a.subLabel)! }) : t('events.object', { label });
    }
    default: return ev.type;
  }
}

/** A plain interpolating translator over one locale's JSON (the host's English; tests). */
export function translatorOf(messages: Record<string, unknown>): Translate {
  const lookup = (key: string): string | undefined => {
    let cur: unknown = messages;
    for (const part of key.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
    return typeof cur === 'string' ? cur : undefined;
  };
  return (key, params = {}) => {
    const count = params.count;
    const text = (typeof count === 'number' ? lookup(`${key}_${count === 1 ? 'one' : 'other'}`) : undefined) ?? lookup(key) ?? key;
    return text.replace(/\{\{(\w+)\}\}/g, (_, p: string) => (params[p] !== undefined ? String(params[p]) : `{{${p}}}`));
  };
}
