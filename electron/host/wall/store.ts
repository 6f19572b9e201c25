/**
 * The wall as saved data (`<dataDir>/wall.json`): named layouts, what each display shows, and wall
 * presets (every display's layout under one name). Unknown display ids are created on first use,
 * so a web shell's extra window just works. All changes are validated and written atomically.
 */
import { z } from 'zod';
import { ContractError } from '../../contract/api.js';
import { reason, reasonOfIssue } from '../../contract/api-errors.js';
import { Layout, WallDisplay, WallPreset } from '../../contract/schemas.js';
import { createLogger, type Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import { openVersionedStore, type VersionedStore } from '../settings/versioned-store.js';
import { slugify, uniqueId } from '../cameras/slug.js';
import { checkLayout, defaultLayout, isEmptyLayout, newDisplayLayout, pushCamera, withoutCameras } from './wall-rules.js';
import { defaultDisplayName, MAIN_DISPLAY } from '../../contract/default-texts.js';

const WallFile = z.object({
  layouts: z.array(Layout),
  displays: z.array(WallDisplay),
  presets: z.array(WallPreset),
});
type WallFile = z.infer<typeof WallFile>;

export type WallChange = 'layouts' | 'displays' | 'presets';

export interface WallPush { displayId: string; cameraId?: string | undefined; layout?: Layout | undefined; cellIndex?: number | undefined }

export interface WallStoreOptions {
  dataDir: string;
  notices?: NoticeBoard;
  log?: Logger;
  /** The registry's camera ids in order: fills the default wall and checks pushed cameras. */
  cameraIds?: () => readonly string[];
}


export class WallStore {
  private readonly store: VersionedStore<WallFile>;
  private readonly listeners = new Set<(what: WallChange) => void>();
  private readonly log: Logger;

  constructor(private readonly opts: WallStoreOptions) {
    this.log = opts.log ?? createLogger({ scope: 'wall' });
    this.store = openVersionedStore<WallFile>({
      dataDir: opts.dataDir, name: 'wall', label: 'wall layouts', schema: WallFile, version: 1,
      defaults: () => ({ layouts: [], presets: [], displays: [this.makeDisplay(MAIN_DISPLAY, defaultLayout(this.cameraIds()))] }),
      notices: opts.notices, log: this.log,
    });
  }

  // ---- named layouts ----
  listLayouts(): Layout[] { return structuredClone(this.data.layouts); }

  saveLayout(raw: Layout): Layout {
    const layout = checkLayout(raw);
    const layouts = this.data.layouts.filter((l) => l.id !== layout.id).concat(layout);
    this.write({ ...this.data, layouts }, 'layouts');
    return structuredClone(layout);
  }

  removeLayout(id: string): void {
    if (!this.data.layouts.some((l) => l.id === id)) throw new ContractError('not-found', `no saved layout with id "${id.slice(0, 64)}"`, reason('noLayout', { id: id.slice(0, 64) }));
    this.write({ ...this.data, layouts: this.data.layouts.filter((l) => l.id !== id) }, 'layouts');
  }

  // ---- displays ----
  displays(): WallDisplay[] { return structuredClone(this.data.displays); }

  setLayout(displayId: string, raw: Layout): WallDisplay {
    const layout = checkLayout(raw);
    this.checkCameras(layout);
    return this.putDisplay(displayId, layout);
  }

  /** A layout replaces the display's layout; a camera goes to cellIndex, else the first empty cell, else the last. */
  push(p: WallPush): WallDisplay {
    if (!p.cameraId && !p.layout) throw new ContractError('invalid', 'push needs a camera or a layout', reason('pushEmpty'));
    const current = this.data.displays.find((d) => d.id === p.displayId);
    let layout = p.layout ? checkLayout(p.layout) : current?.layout ?? newDisplayLayout();
    if (p.layout) this.checkCameras(layout);
    if (p.cameraId) {
      this.checkCameras({ cells: [{ cameraId: p.cameraId }] });
      layout = pushCamera(layout, p.cameraId, p.cellIndex);
    }
    return this.putDisplay(p.displayId, layout);
  }

  /**
   * The demo's first start: fills the main display with the first 16 cameras when it is missing or
   * shows nothing at all (the wall was made before the registry was seeded).
   */
  ensureDefaultWall(): void {
    const main = this.data.displays.find((d) => d.id === MAIN_DISPLAY);
    const ids = this.cameraIds();
    if (main && !isEmptyLayout(main.layout)) return;
    if (main && ids.length === 0) return;
    this.putDisplay(MAIN_DISPLAY, defaultLayout(ids));
  }

  /** Clears cells and tours that show cameras no longer in the registry (call on registry change). */
  retainCameras(ids: Iterable<string>): void {
    const keep = new Set(ids);
    const exists = (id: string) => keep.has(id);
    let changed = false;
    const displays = this.data.displays.map((d) => {
      const layout = withoutCameras(d.layout, exists);
      if (layout !== d.layout) changed = true;
      return layout === d.layout ? d : { ...d, layout };
    });
    if (changed) this.write({ ...this.data, displays }, 'displays');
  }

  // ---- wall presets ----
  listPresets(): WallPreset[] { return structuredClone(this.data.presets); }

  /** Saves every display's current layout under a name; an existing id is overwritten. */
  savePreset(name: string, id?: string): WallPreset {
    const trimmed = name.trim();
    const presetId = id ?? uniqueId(slugify(trimmed), (candidate) => this.data.presets.some((p) => p.id === candidate));
    const parsed = WallPreset.safeParse({ id: presetId, name: trimmed, displays: Object.fromEntries(this.data.displays.map((d) => [d.id, d.layout])) });
    if (!parsed.success) throw new ContractError('invalid', `wall preset: ${parsed.error.issues[0]?.message ?? 'invalid'}`, (parsed.error.issues[0] && reasonOfIssue(parsed.error.issues[0])) ?? undefined);
    const presets = this.data.presets.filter((p) => p.id !== presetId).concat(parsed.data);
    this.write({ ...this.data, presets }, 'presets');
    return structuredClone(parsed.data);
  }

  /** Puts each stored layout on its display (creating displays as needed); other displays keep theirs. */
  applyPreset(id: string): WallDisplay[] {
    const preset = this.data.presets.find((p) => p.id === id);
    if (!preset) throw new ContractError('not-found', `no wall preset with id "${id.slice(0, 64)}"`, reason('noPreset', { id: id.slice(0, 64) }));
    const displays = this.data.displays.slice();
    for (const [displayId, layout] of Object.entries(preset.displays)) {
      const at = displays.findIndex((d) => d.id === displayId);
      if (at >= 0) displays[at] = { ...displays[at]!, layout };
      else displays.push(this.makeDisplay(displayId, layout));
    }
    this.write({ ...this.data, displays }, 'displays');
    return this.displays();
  }

  removePreset(id: string): void {
    if (!this.data.presets.some((p) => p.id === id)) throw new ContractError('not-found', `no wall preset with id "${id.slice(0, 64)}"`, reason('noPreset', { id: id.slice(0, 64) }));
    this.write({ ...this.data, presets: this.data.presets.filter((p) => p.id !== id) }, 'presets');
  }

  onChange(cb: (what: WallChange) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  private get data(): WallFile { return this.store.read(); }

  private cameraIds(): readonly string[] { return this.opts.cameraIds?.() ?? []; }

  private makeDisplay(id: string, layout: Layout): WallDisplay {
    return { id, name: defaultDisplayName(id), layout };
  }

  private putDisplay(displayId: string, layout: Layout): WallDisplay {
    const parsedId = WallDisplay.shape.id.safeParse(displayId);
    if (!parsedId.success) throw new ContractError('invalid', 'display id: 1-64 characters', reason('badDisplay'));
    const displays = this.data.displays.slice();
    const at = displays.findIndex((d) => d.id === displayId);
    const display = at >= 0 ? { ...displays[at]!, layout } : this.makeDisplay(displayId, layout);
    if (at >= 0) displays[at] = display; else displays.push(display);
    this.write({ ...this.data, displays }, 'displays');
    return structuredClone(display);
  }

  /** Only when the registry is known: a camera the registry does not have is an operator error. */
  private checkCameras(layout: { cells: Array<{ cameraId: string | null; tour?: { cameraIds: string[] } | undefined }> }): void {
    if (!this.opts.cameraIds) return;
    const known = new Set(this.cameraIds());
    for (const c of layout.cells) {
      for (const id of [c.cameraId, ...(c.tour?.cameraIds ?? [])]) {
        if (id !== null && !known.has(id)) throw new ContractError('not-found', `no camera with id "${id}"`, reason('noCamera', { camera: id }));
      }
    }
  }

  private write(next: WallFile, what: WallChange): void {
    this.store.write(next);
    this.log.debug('wall changed', { what });
    for (const cb of this.listeners) {
      try { cb(what); } catch (err) { this.log.error('wall change listener failed', { reason: (err as Error).message }); }
    }
  }
}
