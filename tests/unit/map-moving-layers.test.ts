/**
 * The moving canvas's layers per unit report (layers.ts): a layer with nothing to draw gets the same empty list every
 * time, so deck.gl (which compares data by reference) does not update it on every report; a layer with something to
 * draw gets it as before.
 */
import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import { alarmLayers, orNothing, unitLayers } from '../../renderer/map/layers.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';

const unit = (ts: number): MapUnit => ({ id: 'r-1', kind: 'robot', lat: 43.2, lon: 76.9, heading: 90, ts, stale: false, track: [[76.9, 43.2, ts - 3000], [76.9001, 43.2, ts]] });
const dataOf = (layers: Layer[]) => Object.fromEntries(layers.map((l) => [l.id, l.props.data]));

describe('moving layers with nothing to draw', () => {
  it('get one and the same empty list on every report', () => {
    const a = dataOf([...alarmLayers([], 1000), ...unitLayers([unit(10_000)])]);
    const b = dataOf([...alarmLayers([], 1100), ...unitLayers([unit(10_500)])]);
    for (const id of ['alarm-pulses', 'alarms', 'unit-footprints']) {
      expect(a[id], id).toEqual([]);
      expect(b[id], id).toBe(a[id]);
    }
    // what the units draw is new data on each report
    expect((b.units as MapUnit[])[0]!.ts).toBe(10_500);
    expect(b['unit-headings']).not.toBe(a['unit-headings']);
    expect((b['unit-tracks'] as unknown[]).length).toBe(1);
  });

  it('no units at all: every unit layer gets the same empty list', () => {
    const a = dataOf(unitLayers([]));
    const b = dataOf(unitLayers([]));
    for (const id of Object.keys(a)) expect(b[id], id).toBe(a[id]);
  });

  it('orNothing keeps a list with items as it is', () => {
    const items = [1, 2];
    expect(orNothing(items)).toBe(items);
    expect(orNothing([])).toBe(orNothing([]));
  });
});
