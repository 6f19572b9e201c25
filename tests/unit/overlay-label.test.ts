/**
 * Box labels on the picture in the operator's language (renderer/i18n/alarm-text.ts overlayLabel): an analytics label
 * that is an object class is translated, a name stays as it came, a box without a label gets the event's line worded
 * from its attributes; in English the host's own line.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { overlayLabel } from '../../renderer/i18n/alarm-text.js';
import { setLanguage } from '../../renderer/i18n/i18n.js';
import kk from '../../resources/locales/kk.json' with { type: 'json' };
import ru from '../../resources/locales/ru.json' with { type: 'json' };

const face = { type: 'face_match', label: 'Face match: Missing person 1290 (list wanted, 87 %)', attributes: { watchlist: 'wanted', personId: 'P-1290', name: 'Missing person 1290', similarity: 0.87 } };
const object = { type: 'object', label: 'Object: car', attributes: { class: 'vehicle', label: 'car' } };

afterAll(async () => { await setLanguage('en'); });

describe('overlay labels', () => {
  it('translates object classes, keeps names, and words a label-less box from the event in the language', async () => {
    await setLanguage('kk');
    expect(overlayLabel(object, 'person')).toBe(kk.objects.person);
    expect(overlayLabel(object, 'car')).toBe(kk.objects.car);
    expect(overlayLabel(face, 'Missing person 1290')).toBe('Missing person 1290');
    expect(overlayLabel(face, 'v1.2: odd')).toBe('v1.2: odd'); // separators in a label do not confuse the lookup
    const kkLine = overlayLabel(face, undefined);
    expect(kkLine).toContain('Missing person 1290');
    expect(kkLine).not.toBe(face.label);
    expect(kkLine).toBe(overlayLabel(face, undefined)); // cached, same text
    await setLanguage('ru');
    expect(overlayLabel(object, 'person')).toBe(ru.objects.person);
    expect(overlayLabel(face, undefined)).not.toBe(kkLine); // the cache follows the language
    await setLanguage('en');
    expect(overlayLabel(face, undefined)).toBe(face.label);
    expect(overlayLabel({ type: 'object', label: 'From an old host' }, undefined)).toBe('From an old host');
  });
});
