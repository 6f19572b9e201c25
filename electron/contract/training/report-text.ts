/**
 * The after-action report's words in a language of the interface, outside i18next (the host writes HTML and PDF
 * reports): the `trainingReview` and `verdicts` texts of resources/locales, `{{name}}` filled in. The renderer words the
 * same keys with i18next; `checkSentence` is the one wording of a check for both.
 */
import en from '../../../resources/locales/en.json' with { type: 'json' };
import ru from '../../../resources/locales/ru.json' with { type: 'json' };
import kk from '../../../resources/locales/kk.json' with { type: 'json' };
import type { ResponseCheck, ScriptedEvent } from './scenario-schema.js';

export const REPORT_LANGUAGES = ['kk', 'ru', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

/** The report language for an interface language: the same when a report can be written in it, else English. */
export function reportLanguage(uiLanguage: string): ReportLanguage {
  return (REPORT_LANGUAGES as readonly string[]).includes(uiLanguage) ? (uiLanguage as ReportLanguage) : 'en';
}

/** Words a key (`trainingReview.check.claimed`) with its parameters. */
export type { Translate } from '../event-text.js';
import type { Translate } from '../event-text.js';
export type ReportText = Translate & { language: ReportLanguage };

/** A locale file's shape: nested keys down to strings. */
export type Tree = { [k: string]: string | Tree };
const TREES: Record<ReportLanguage, Tree> = { en: en as unknown as Tree, ru: ru as unknown as Tree, kk: kk as unknown as Tree };

function lookup(tree: Tree, key: string): string | null {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : null;
}

/** The texts of one language (English where it lacks a key; the key itself where English lacks it too). */
export function reportText(language: ReportLanguage): ReportText {
  const fn = (key: string, params: Record<string, unknown> = {}) => {
    const s = lookup(TREES[language], key) ?? lookup(TREES.en, key) ?? key;
    return s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => (params[name] === undefined ? '' : String(params[name])));
  };
  return Object.assign(fn, { language });
}

/** A check's sentence: its code's text, verdicts named in the language, and why when the event raised no alarm. */
export function checkSentence(c: Pick<ResponseCheck, 'code' | 'params'>, t: Translate): string {
  const p: Record<string, unknown> = { ...c.params };
  for (const k of ['verdict', 'expected']) if (typeof p[k] === 'string') p[k] = t(`verdicts.${String(p[k])}`);
  const s = t(`trainingReview.check.${c.code}`, p);
  return c.params.noAlarm === true ? `${s} (${t('trainingReview.noAlarm')})` : s;
}

/** A moment of a session as its clock shows it: minutes and seconds from its start ("01:05"). */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * How a scripted event is named to a person, in the language of `t`: its moment, its kind and its camera
 * ("00:04 False alarm · Abay / Dostyk"), not the id the scenario's author gave it; an id not among `events` as it is.
 */
export function eventNamer(events: ReadonlyArray<Pick<ScriptedEvent, 'id' | 'atMs' | 'kind' | 'cameraId'>>, t: Translate, cameraName: (id: string) => string = (id) => id): (eventId: string | null | undefined) => string {
  const byId = new Map(events.map((e) => [e.id, e]));
  return (id) => {
    if (!id) return '';
    const e = byId.get(id);
    return e ? `${formatClock(e.atMs)} ${t(`trainingReview.event.${e.kind}`)} · ${cameraName(e.cameraId)}` : id;
  };
}

/** A lane item's text parameters with its camera (`camera`, an id) named as the console names it. */
export function withCameraName(params: Record<string, unknown>, cameraName: (id: string) => string): Record<string, unknown> {
  return typeof params.camera === 'string' ? { ...params, camera: cameraName(params.camera) } : params;
}
