/**
 * The zone editor's data: the camera's zones being edited, the shape being drawn, and the checks run before
 * saving (the host checks again). Pure: no React, no DOM.
 */
import { CameraZones, type Point, type Zone } from '../../electron/contract/zones-schema.js';
import { t } from '../i18n/i18n.js';

export type Tool = 'select' | 'zone' | 'line';

export interface ZoneDraft {
  zones: Zone[];
  /** Index of the zone whose name, direction and points are being edited. */
  selected: number | null;
  tool: Tool;
  /** Points of the shape being drawn with the zone or line tool. */
  drawing: Point[];
}

export const emptyDraft = (zones: readonly Zone[]): ZoneDraft => ({ zones: zones.map((z) => structuredClone(z)), selected: null, tool: 'select', drawing: [] });

/** "Zone 1", "Zone 2" ...: the first name of the kind not used on this camera. */
export function nextName(zones: readonly Zone[], kind: Zone['kind']): string {
  const base = kind === 'zone' ? t('zones.zone') : t('zones.line');
  const used = new Set(zones.map((z) => z.name.toLowerCase()));
  for (let i = 1; ; i++) if (!used.has(`${base} ${i}`.toLowerCase())) return `${base} ${i}`;
}

const clamp = (p: Point): Point => ({ x: Math.min(1, Math.max(0, p.x)), y: Math.min(1, Math.max(0, p.y)) });

/** A click of the drawing tool: adds a point; finishes a line at 2 points, a zone when `close` (and it has 3). */
export function addPoint(d: ZoneDraft, p: Point, close = false): ZoneDraft {
  if (d.tool === 'select') return d;
  if (close && d.tool === 'zone') return finish(d);
  const drawing = [...d.drawing, clamp(p)];
  if (d.tool === 'line' && drawing.length === 2) return finish({ ...d, drawing });
  return { ...d, drawing };
}

/** Ends the shape being drawn; a zone with fewer than 3 points (or a line without 2) is dropped. */
export function finish(d: ZoneDraft): ZoneDraft {
  const enough = d.tool === 'zone' ? d.drawing.length >= 3 : d.tool === 'line' && d.drawing.length === 2;
  if (!enough) return { ...d, drawing: [], tool: 'select' };
  const zone: Zone = d.tool === 'zone'
    ? { kind: 'zone', name: nextName(d.zones, 'zone'), points: d.drawing }
    : { kind: 'line', name: nextName(d.zones, 'line'), points: d.drawing, direction: 'both' };
  return { zones: [...d.zones, zone], selected: d.zones.length, tool: 'select', drawing: [] };
}

export function movePoint(d: ZoneDraft, zone: number, point: number, p: Point): ZoneDraft {
  const z = d.zones[zone];
  if (!z || !z.points[point]) return d;
  const points = z.points.map((q, i) => (i === point ? clamp(p) : q));
  return { ...d, zones: d.zones.map((x, i) => (i === zone ? ({ ...x, points } as Zone) : x)) };
}

export function updateZone(d: ZoneDraft, index: number, change: Partial<Pick<Zone, 'name'>> & { direction?: 'both' | 'left' | 'right' }): ZoneDraft {
  return { ...d, zones: d.zones.map((z, i) => (i !== index ? z : z.kind === 'line' ? { ...z, ...change } : { ...z, ...(change.name !== undefined ? { name: change.name } : {}) })) };
}

export function removeZone(d: ZoneDraft, index: number): ZoneDraft {
  return { ...d, zones: d.zones.filter((_, i) => i !== index), selected: null };
}

/** What is wrong with the zones as a person would say it (the first problem), or null. */
export function draftProblem(cameraId: string, zones: readonly Zone[]): string | null {
  const r = CameraZones.safeParse({ cameraId, zones });
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  const i = typeof issue.path[1] === 'number' ? issue.path[1] : null;
  const z = i !== null ? zones[i] : undefined;
  return `${z ? `${z.kind === 'zone' ? t('zones.zone') : t('zones.line')} ${i! + 1}${z.name.trim() ? ` "${z.name.trim()}"` : ''}: ` : ''}${issue.message}`;
}
