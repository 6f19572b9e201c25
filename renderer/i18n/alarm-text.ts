/**
 * An alarm's line in the operator's language, from its event type and attributes (electron/contract/event-text.ts,
 * the same function the host uses for its English line). A zone rule's alarm names its zones after the event: the
 * host's English summary carries them ("… in Gate"), so they are read back from it.
 */
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { describeEvent, translatorOf } from '../../electron/contract/event-text.js';
import en from '../../resources/locales/en.json' with { type: 'json' };
import { currentLanguage, t } from './i18n.js';
import { demoEventText } from './labels.js';

const english = translatorOf(en);

export function alarmText(alarm: Pick<Alarm, 'summary'> & Partial<Pick<Alarm, 'type' | 'attributes'>>): string {
  if (currentLanguage() === 'en' || alarm.type === undefined || alarm.attributes === undefined) return alarm.summary;
  const ev = { type: alarm.type, attributes: alarm.attributes };
  const base = describeEvent(ev, english);
  // the demo scenario's own words for a scripted event (its label) in the language
  const label = typeof alarm.attributes.label === 'string' ? demoEventText(alarm.attributes.label) : undefined;
  const shown = label !== undefined && label !== alarm.attributes.label ? { ...ev, attributes: { ...ev.attributes, label } } : ev;
  if (!alarm.summary.startsWith(base)) return alarm.summary; // written by an older host or another producer: keep its words
  const zonesPrefix = ' in ';
  const rest = alarm.summary.slice(base.length);
  const what = describeEvent(shown, (key, params) => t(key, params ?? {}));
  return rest.startsWith(zonesPrefix) ? t('events.inZones', { what, zones: rest.slice(zonesPrefix.length) }) : what;
}

const overlayLines = new WeakMap<object, { lang: string; text: string }>();
/** Box labels in the current language: a handful of classes and names, asked on every paint. */
let boxLabels = { lang: '', texts: new Map<string, string>() };
function boxLabelIn(label: string): string {
  const lang = currentLanguage();
  if (boxLabels.lang !== lang) boxLabels = { lang, texts: new Map() };
  let text = boxLabels.texts.get(label);
  if (text === undefined) {
    text = t(`objects.${label}`, { defaultValue: label, nsSeparator: false, keySeparator: label.includes('.') ? false : '.' });
    if (boxLabels.texts.size < 500) boxLabels.texts.set(label, text);
  }
  return text;
}

/**
 * A box's label on the picture in the operator's language: the analytics' own label for the box as an object class
 * when it is one ("person", "car"; a name such as "Missing person 1290" stays as it came), else the event's line worded
 * from its type and attributes (the host's English `label` when it sent none). Cached per item and language: the
 * overlay layer asks on every paint.
 */
export function overlayLabel(item: { type: string; label: string; attributes?: Record<string, unknown> | undefined }, boxLabel: string | undefined): string {
  if (boxLabel !== undefined) return boxLabelIn(boxLabel);
  if (!item.attributes || currentLanguage() === 'en') return item.label;
  const lang = currentLanguage();
  const hit = overlayLines.get(item);
  if (hit?.lang === lang) return hit.text;
  const text = describeEvent({ type: item.type, attributes: item.attributes }, (key, params) => t(key, params ?? {}));
  overlayLines.set(item, { lang, text });
  return text;
}
