/**
 * The privacy-mask editor's data (issue 12 §3): masks drawn by clicks with the kind of the tool, named uniquely, corners
 * moved, kind changed, deleted; the shared shape draft behaves for masks as it does for zones; problems in words.
 */
import { describe, expect, it } from 'vitest';
import { addMaskPoint, emptyMaskDraft, finishMask, maskDraftProblem, moveMaskPoint, removeMask, updateMask, type MaskDraft } from '../../renderer/zones/mask-draft.js';
import { setLanguage } from '../../renderer/i18n/i18n.js';

const square = [{ x: 0.1, y: 0.1 }, { x: 0.4, y: 0.1 }, { x: 0.4, y: 0.4 }, { x: 0.1, y: 0.4 }];

describe('mask editor draft', () => {
  it('draws a permanent mask by clicks, closes it on the first corner, names it uniquely; kind, corner and delete edits', async () => {
    await setLanguage('en');
    let d: MaskDraft = { ...emptyMaskDraft([{ name: 'Mask 1', kind: 'liftable', points: square }]), tool: 'permanent' };
    d = addMaskPoint(d, { x: 0.5, y: 0.5 });
    d = addMaskPoint(d, { x: 0.9, y: 0.5 });
    d = addMaskPoint(d, { x: 0.9, y: 1.3 }); // clamped into the picture
    d = addMaskPoint(d, { x: 0.5, y: 0.5 }, true);
    expect(d.shapes[1]).toEqual({ name: 'Mask 2', kind: 'permanent', points: [{ x: 0.5, y: 0.5 }, { x: 0.9, y: 0.5 }, { x: 0.9, y: 1 }] });
    expect(d.tool).toBe('select');
    expect(d.selected).toBe(1);
    d = moveMaskPoint(d, 1, 2, { x: 0.7, y: 0.9 });
    expect(d.shapes[1]!.points[2]).toEqual({ x: 0.7, y: 0.9 });
    d = updateMask(d, 0, { kind: 'permanent', name: 'Balcony' });
    expect(d.shapes[0]).toMatchObject({ name: 'Balcony', kind: 'permanent' });
    d = removeMask(d, 0);
    expect(d.shapes.map((m) => m.name)).toEqual(['Mask 2']);
    expect(maskDraftProblem('cam-a', d.shapes)).toBeNull();
  });

  it('a mask of two points is dropped; a name used twice is a problem in the chosen language', async () => {
    let d: MaskDraft = { ...emptyMaskDraft([]), tool: 'liftable' };
    d = finishMask(addMaskPoint(addMaskPoint(d, { x: 0.1, y: 0.1 }), { x: 0.2, y: 0.2 }));
    expect(d.shapes).toEqual([]);
    const twice = [{ name: 'Window', kind: 'liftable' as const, points: square }, { name: 'window', kind: 'permanent' as const, points: square }];
    expect(maskDraftProblem('cam-a', twice)).toBe('Mask 2 "window": The name "window" is used twice on this camera.');
    await setLanguage('ru');
    expect(maskDraftProblem('cam-a', twice)).toBe('Маска 2 "window": Название «window» на этой камере использовано дважды.');
    await setLanguage('en');
  });
});
