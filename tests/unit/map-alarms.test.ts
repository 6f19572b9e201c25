/** Issue 10 §2: alarms where they happen, their pulse by priority, the heat map's alarms (renderer/map/alarm-geo.ts), the window channel. */
import { describe, expect, it } from 'vitest';
import { alarmPosition, heatAlarms, placeAlarms, pulsePeriodS, pulseRadiusPx, type MapAlarm } from '../../renderer/map/alarm-geo.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { onMapOpenAlarm, postOpenAlarm } from '../../renderer/map/map-channel.js';

const CAM: LonLat = [76.95, 43.24];
const alarm = (over: Partial<Alarm>): Alarm => ({
  id: 'a1', ruleId: 'r', ruleName: 'r', priority: 2, type: 'object', cameraId: 'cam-1', state: 'new', owner: null, count: 1,
  firstAt: 1000, lastAt: 1000, createdAt: 1000, claimedAt: null, escalatedAt: null, resolvedAt: null, escalation: null,
  verdict: null, comment: null, incidentId: null, summary: '', lastEventId: 'e', attributes: {}, boxes: [], hasSnapshot: false, sop: [], version: 1,
  ...over,
});

describe('alarm positions', () => {
  it('uses the event position when the attributes carry a valid one, else the camera', () => {
    expect(alarmPosition(alarm({ attributes: { lat: 43.25, lon: 76.96 } }), CAM)).toEqual([76.96, 43.25]);
    expect(alarmPosition(alarm({ attributes: { location: { lat: 43.26, lon: 76.97 } } }), CAM)).toEqual([76.97, 43.26]);
    expect(alarmPosition(alarm({ attributes: { lat: 95, lon: 76.96 } }), CAM)).toEqual(CAM);
    expect(alarmPosition(alarm({ attributes: { lat: '43.2', lon: 76.96 } }), CAM)).toEqual(CAM);
    expect(alarmPosition(alarm({ attributes: { lat: Number.NaN, lon: 76.96 } }), undefined)).toBeNull();
  });

  it('places alarms of placed cameras, leaves the others out, and marks resolved ones closed', () => {
    const placed = placeAlarms([alarm({ id: 'x' }), alarm({ id: 'y', cameraId: 'nowhere' }), alarm({ id: 'z', state: 'resolved' })], (id) => (id === 'cam-1' ? CAM : undefined));
    expect(placed.map((a) => [a.id, a.open])).toEqual([['x', true], ['z', false]]);
  });

  it('pulses faster for a more urgent priority, between 8 and 24 px', () => {
    expect(pulsePeriodS(1)).toBeLessThan(pulsePeriodS(3));
    expect(pulsePeriodS(3)).toBeLessThan(pulsePeriodS(5));
    for (const t of [0, 100, 350, 799, 5000]) { const r = pulseRadiusPx(1, t); expect(r).toBeGreaterThanOrEqual(8); expect(r).toBeLessThan(24); }
    expect(pulseRadiusPx(1, 400)).toBeCloseTo(16, 6); // half of priority 1's 0.8 s period
  });
});

describe('heat map alarms', () => {
  const at = (id: string, createdAt: number, type: MapAlarm['type'] = 'object'): MapAlarm => ({ id, cameraId: 'c', position: offset(CAM, 45, 10), priority: 2, type, createdAt, open: true });
  const alarms = [at('a', 1000), at('b', 2000), at('c', 3000, 'plate'), at('d', 5000), at('old', 10)];
  it('keeps the alarms created in the window, of the chosen types (all when none is chosen)', () => {
    expect(heatAlarms(alarms, { fromMs: 500, toMs: 5000, types: [] }).map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(heatAlarms(alarms, { fromMs: 500, toMs: 5001, types: ['object'] }).map((a) => a.id)).toEqual(['a', 'b', 'd']);
    expect(heatAlarms(alarms, { fromMs: 500, toMs: 5000, types: ['plate', 'face_match'] }).map((a) => a.id)).toEqual(['c']);
    expect(heatAlarms(alarms, { fromMs: 2500, toMs: 5000, types: ['object'] })).toEqual([]);
  });
});

describe('map window → console', () => {
  it('delivers a valid "open alarm" to the console and drops anything else', async () => {
    const got: string[] = [];
    const off = onMapOpenAlarm((id) => got.push(id));
    const raw = new BroadcastChannel('kuzet.map');
    raw.postMessage({ kind: 'alarm.open', alarmId: '' });
    raw.postMessage({ kind: 'alarm.delete', alarmId: 'x' });
    raw.postMessage('alarm.open A1');
    expect(postOpenAlarm('A-42')).toBe(true);
    await expect.poll(() => got).toEqual(['A-42']);
    await new Promise((r) => setTimeout(r, 50)); // the thing tested: nothing more arrives after it (no repeat, nothing invalid)
    expect(got).toEqual(['A-42']);
    raw.close(); off();
  });
});
