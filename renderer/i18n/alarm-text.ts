/**
 * An alarm's line in the operator's language, from its event type and attributes (electron/contract/event-text.ts,
 * the same function the host uses for its English line). A zone rule's alarm names its zones after the event: the
 * host's English summary carries them ("… in Gate"), so they are read back from it.
 */
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { describeEvent, translatorOf } from '../../electron/contract/event-text.js';
import en from '../../resources/locales/en.json' with { type: 'json' };
import { currentLanguage, t } from './i18n.js';

const english = translatorOf(en);

export function alarmText(alarm: Pick<Alarm, 'type' | 'attributes' | 'summary'>): string {
  if (currentLanguage() === 'en') return alarm.summary;
  const base = describeEvent(alarm, english);
  if (!alarm.summary.startsWith(base)) return alarm.summary; // written by an older host or another producer: keep its words
  const zonesPrefix = ' in ';
  const rest = alarm.summary.slice(base.length);
  const what = describeEvent(alarm, (key, params) => t(key, params ?? {}));
  return rest.startsWith(zonesPrefix) ? t('events.inZones', { what, zones: rest.slice(zonesPrefix.length) }) : what;
}
