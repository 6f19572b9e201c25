import { describe, expect, it } from 'vitest';
import { Rule } from '../../electron/contract/alarms-schema.js';
import { describeRule, formOf, matchesEverythingWarning, newRuleForm, ruleFromForm, ruleIdFor } from '../../renderer/alarms/rule-form.js';
import { addPoint, draftProblem, emptyDraft, finish, movePoint, removeZone, type ZoneDraft } from '../../renderer/zones/zone-draft.js';

const none = new Set<string>();

describe('rule form', () => {
  it('a filled form becomes a valid rule with an id made from its name', () => {
    const f = { ...newRuleForm(), name: 'Person at the gate (night)', types: ['object' as const], cameras: ['abay-dostyk'], zones: ['Gate'], minConfidencePct: '70', priority: 2,
      scheduleOn: true, days: [5, 6, 0], from: '22:00', to: '06:00' };
    const r = ruleFromForm(f, new Set(['person-at-the-gate-night']));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    const rule = Rule.parse(r.rule);
    expect(rule).toMatchObject({ id: 'person-at-the-gate-night-2', minConfidence: 0.7, priority: 2, zones: ['Gate'], schedule: { days: [0, 5, 6], from: '22:00', to: '06:00' } });
    // and back: editing a saved rule shows what was saved
    expect(ruleFromForm(formOf(rule), none).rule).toMatchObject({ id: rule.id, minConfidence: 0.7, schedule: rule.schedule });
  });

  it('bad input gets a clear message per field, and no rule', () => {
    const r = ruleFromForm({ ...newRuleForm(), name: '  ', minConfidencePct: '150', scheduleOn: true, days: [], from: '25:00', dedupWindowSec: 'soon',
      types: ['plate'], violations: ['speeding'] }, none);
    expect(r.rule).toBeNull();
    expect(r.errors).toEqual([
      'Name: a rule needs a name.',
      'Minimum confidence: a number from 0 to 100 (per cent).',
      'Schedule: tick at least one day.',
      'Schedule: times as HH:MM (00:00 to 23:59).',
      'De-duplication window: a number of seconds from 0 to 86400',
      'Violations only apply to traffic violations: tick that type too, or clear the violations.',
    ]);
    expect(ruleFromForm({ ...newRuleForm(), name: 'x', scheduleOn: true, from: '10:00', to: '10:00' }, none).errors).toEqual(['Schedule: the window starts and ends at the same time (it would never be active).']);
  });

  it('a rule that matches everything is allowed, with a warning', () => {
    const r = ruleFromForm({ ...newRuleForm(), name: 'Everything' }, none);
    expect(r.rule).not.toBeNull();
    expect(r.warnings).toEqual([matchesEverythingWarning()]);
    expect(ruleFromForm({ ...newRuleForm(), name: 'Cam', cameras: ['c1'] }, none).warnings).toEqual([]);
  });

  it('ids are slugs the contract accepts; text with markup is just text', () => {
    expect(ruleIdFor('<script>alert(1)</script>', none)).toBe('script-alert-1-script');
    expect(ruleIdFor('Қазақ', none)).toBe('rule');
    const r = ruleFromForm({ ...newRuleForm(), name: '<b>bold</b>', types: ['plate'] }, none);
    expect(Rule.parse(r.rule).name).toBe('<b>bold</b>');
    expect(describeRule(Rule.parse(r.rule), (id) => id)).toBe('licence plate · on every camera');
  });
});

describe('zone editor draft', () => {
  it('draws a zone by clicks, closes it, names it uniquely, moves a corner, deletes it', () => {
    let d: ZoneDraft = { ...emptyDraft([{ kind: 'zone', name: 'Zone 1', points: [{ x: 0, y: 0 }, { x: 0.1, y: 0 }, { x: 0, y: 0.1 }] }]), tool: 'zone' };
    d = addPoint(d, { x: 0.2, y: 0.2 });
    d = addPoint(d, { x: 0.6, y: 0.2 });
    d = addPoint(d, { x: 1.4, y: 0.6 }); // clamped into the picture
    d = addPoint(d, { x: 0.2, y: 0.2 }, true);
    expect(d.shapes[1]).toEqual({ kind: 'zone', name: 'Zone 2', points: [{ x: 0.2, y: 0.2 }, { x: 0.6, y: 0.2 }, { x: 1, y: 0.6 }] });
    expect(d.selected).toBe(1);
    d = movePoint(d, 1, 0, { x: 0.3, y: 0.1 });
    expect(d.shapes[1]!.points[0]).toEqual({ x: 0.3, y: 0.1 });
    d = removeZone(d, 0);
    expect(d.shapes.map((z) => z.name)).toEqual(['Zone 2']);
  });

  it('a line is two clicks; a zone with two points is dropped; problems in words', () => {
    let d: ZoneDraft = { ...emptyDraft([]), tool: 'line' };
    d = addPoint(addPoint(d, { x: 0.1, y: 0.5 }), { x: 0.9, y: 0.5 });
    expect(d.shapes).toEqual([{ kind: 'line', name: 'Line 1', points: [{ x: 0.1, y: 0.5 }, { x: 0.9, y: 0.5 }], direction: 'both' }]);
    d = finish(addPoint(addPoint({ ...d, tool: 'zone' }, { x: 0.1, y: 0.1 }), { x: 0.2, y: 0.2 }));
    expect(d.shapes).toHaveLength(1);
    expect(draftProblem('c1', [...d.shapes, { ...d.shapes[0]!, name: 'line 1' }])).toBe('Line 2 "line 1": The name "line 1" is used twice on this camera.');
    expect(draftProblem('c1', [{ ...d.shapes[0]!, name: '' }])).toBe('Line 1: Every shape needs a name.');
  });
});
