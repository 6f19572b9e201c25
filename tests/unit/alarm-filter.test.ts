import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, filterAlarms } from '../../renderer/alarms/alarm-filter.js';
import { compareAlarms } from '../../electron/contract/alarms-schema.js';
import { alarm, T0 } from '../support/alarm-fixtures.js';

describe('alarm queue filter', () => {
  const many = Array.from({ length: 2000 }, (_, i) => alarm({ id: `A${i}`, priority: 1 + (i * 7) % 5, createdAt: T0 + ((i * 7919) % 2000), state: i % 9 === 0 ? 'resolved' : i % 4 === 0 ? 'claimed' : 'new', owner: i % 4 === 0 ? 'aigerim' : null, summary: i % 10 === 0 ? 'Plate 777ABZ02' : 'Motion' }));
  const name = () => 'Abay Ave';

  it('returns the first rows in queue order and the total, as a full sort would', () => {
    const { rows, total } = filterAlarms(many, DEFAULT_FILTER, 'me', name, 300);
    const expected = many.filter((a) => a.state !== 'resolved').sort(compareAlarms);
    expect(total).toBe(expected.length);
    expect(rows.map((a) => a.id)).toEqual(expected.slice(0, 300).map((a) => a.id));
  });

  it('filters by priority, type, text and owner', () => {
    expect(filterAlarms(many, { ...DEFAULT_FILTER, maxPriority: 1 }, 'me', name).rows.every((a) => a.priority === 1)).toBe(true);
    expect(filterAlarms(many, { ...DEFAULT_FILTER, text: '777abz' }, 'me', name).rows.every((a) => a.summary.includes('777ABZ02'))).toBe(true);
    expect(filterAlarms(many, { ...DEFAULT_FILTER, mineOnly: true }, 'aigerim', name).rows.every((a) => a.owner === 'aigerim')).toBe(true);
    expect(filterAlarms(many, { ...DEFAULT_FILTER, type: 'plate' }, 'me', name).total).toBe(0);
    expect(filterAlarms(many, { ...DEFAULT_FILTER, text: 'abay' }, 'me', name).total).toBeGreaterThan(0); // camera name
  });
});
