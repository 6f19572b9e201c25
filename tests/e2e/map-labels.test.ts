/**
 * Names on the map (issue 10 §1, renderer/map/labels.ts) in a real Chromium: the operator switches the console to
 * Kazakh on the wall with the map window open and sees the demo district's
 * street names in Kazakh along the streets at street zoom (the open map window follows the wall's language: the host tells every session of the user); a street
 * is found by its Russian name; switched to English, the same label is the English name, narrower on screen, also
 * after a reload of the map window. Labels are checked by what the map says it draws (its probe)
 * and by the light text pixels at the label's place in a screenshot. Screenshots: tests/.artifacts/e2e/map-labels-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/harness.js';
import { pixelsAt } from '../support/map-page.js';
import { centreOn, mapProbe as probe, mapShots as shots, openMap, startMapConsole, type MapConsole } from '../support/map-console.js';
import { closeConsole } from '../support/e2e-console.js';
import en from '../../resources/locales/en.json' with { type: 'json' };
import kk from '../../resources/locales/kk.json' with { type: 'json' };

let con: MapConsole;
beforeAll(async () => { con = await startMapConsole({ emptyWall: true }); }, 180_000);
afterAll(async () => { await closeConsole(con); });

/** The horizontal extent (px) of label-light pixels in a band around a point: the drawn text's width. */
async function textWidthAt(map: Page, at: [number, number]): Promise<number> {
  const xs: number[] = [];
  const points: [number, number][] = [];
  for (let dx = -90; dx <= 90; dx += 1) for (const dy of [-3, -1, 1, 3]) points.push([at[0] + dx, at[1] + dy]);
  const px = await pixelsAt(map, points);
  px.forEach((p, i) => { if (p[0]! > 185 && p[1]! > 185 && p[2]! > 185) xs.push(points[i]![0]); });
  return xs.length ? Math.max(...xs) - Math.min(...xs) : 0;
}

/** The wall switched to a language from its top bar (its label `label`): the open map window follows. */
async function switchTo(wall: Page, map: Page, label: string, lang: string, camerasWord: string): Promise<void> {
  await wall.getByRole('combobox', { name: label }).selectOption(lang);
  await wall.waitForFunction((want) => document.querySelector('.topbar')?.textContent?.includes(want), camerasWord);
  await map.waitForFunction((l) => document.documentElement.lang === l, lang);
}

describe('names on the map', () => {
  it('draws the district\'s street names in the operator\'s language along the streets, and finds a street by its Russian name', async () => {
    const { wall, map } = await openMap(con);
    // no names far out
    expect(await probe(map).labels()).toEqual([]);
    // Kazakh on the wall: the open map window follows
    await switchTo(wall, map, en.topbar.language, 'kk', kk.topbar.cameras);

    // found by its Russian name, named in Kazakh
    await map.getByRole('textbox', { name: kk.map.search }).fill('проспект Абая');
    await map.getByRole('button', { name: kk.map.search, exact: true }).click();
    await probe(map).zoomTo(16);
    const onAbay = await waitFor('Abay\'s labels in Kazakh', async () => { const l = await probe(map).labels(); return l.some((x) => x.text === 'Абай даңғылы') ? l.filter((x) => x.text === 'Абай даңғылы') : null; }, 30_000);
    const texts = new Set((await probe(map).labels()).map((l) => l.text));
    for (const want of ['Абай даңғылы', 'Достық даңғылы', 'Кіші Алматы өзені']) expect(texts.has(want), want).toBe(true);
    expect([...texts].some((t) => /^[A-Za-z]/.test(t))).toBe(false);

    // a label of Abay near the middle of the window: centred on it, its text is drawn there (light pixels about its width)
    const label = onAbay[Math.floor(onAbay.length / 2)]!;
    const at = await centreOn(map, [label.lon, label.lat], kk.map);
    const kkWidth = await waitFor('the Kazakh name drawn', async () => { const w = await textWidthAt(map, at); return w > 40 ? w : null; }, 30_000);
    await map.screenshot({ path: join(shots, 'map-labels-kk.png') });
    // beside the label on the same street (between two labels) no text: the light pixels are the name, not the street
    expect(await textWidthAt(map, [at[0], at[1] + 60])).toBe(0);

    // English on the wall: the same place, the English name; a reload of the map window keeps it
    await switchTo(wall, map, kk.topbar.language, 'en', en.topbar.cameras);
    await map.reload();
    await map.waitForFunction(() => ((window as unknown as { __kuzetMap?: { redraws(): number } }).__kuzetMap?.redraws() ?? 0) > 0, null, { timeout: 60_000 });
    expect(await map.evaluate(() => document.documentElement.lang)).toBe('en');
    await probe(map).zoomTo(16);
    const at2 = await centreOn(map, [label.lon, label.lat]);
    await waitFor('Abay\'s labels in English', async () => (await probe(map).labels()).some((x) => x.text === 'Abay Ave'), 30_000);
    const enWidth = await waitFor('the English name drawn', async () => { const w = await textWidthAt(map, at2); return w > 20 ? w : null; }, 30_000);
    await map.screenshot({ path: join(shots, 'map-labels-en.png') });
    console.log(`[e2e] label widths: kk ${kkWidth} px, en ${enWidth} px`);
    expect(kkWidth).toBeGreaterThan(enWidth + 15); // "Абай даңғылы" is longer than "Abay Ave"
    expect(con.outside).toEqual([]);
  }, 240_000);
});
