/** The camera form's plain data: what the inputs hold, and how it becomes a CameraInput. */
import type { Camera, CameraInput, CameraKind } from '../../electron/contract/schemas.js';

export interface CameraForm {
  name: string; mainUrl: string; subUrl: string; username: string; password: string;
  kind: CameraKind; group: string; tags: string;
}

export const EMPTY_FORM: CameraForm = { name: '', mainUrl: '', subUrl: '', username: '', password: '', kind: 'fixed', group: '', tags: '' };

export function formOf(c: Camera): CameraForm {
  return { name: c.name, mainUrl: c.mainUrl, subUrl: c.subUrl ?? '', username: c.username ?? '', password: '', kind: c.kind, group: c.group ?? '', tags: c.tags.join(', ') };
}

/** Empty optional fields are left out; an empty password on edit keeps the stored one. */
export function inputOf(f: CameraForm, location?: Camera['location']): CameraInput {
  const out: CameraInput = { name: f.name.trim(), mainUrl: f.mainUrl.trim(), kind: f.kind, tags: f.tags.split(',').map((t) => t.trim()).filter(Boolean) };
  if (f.subUrl.trim()) out.subUrl = f.subUrl.trim();
  if (f.username.trim()) out.username = f.username.trim();
  if (f.password) out.password = f.password;
  if (f.group.trim()) out.group = f.group.trim();
  if (location) out.location = location;
  return out;
}

export function probeSummary(p: Camera['probe']): string {
  const main = p?.main;
  if (!main) return 'not probed';
  if (!main.ok) return `probe failed: ${main.error ?? main.errorKind ?? 'unknown error'}`;
  const size = main.width && main.height ? ` ${main.width}x${main.height}` : '';
  const fps = main.fps ? ` ${Math.round(main.fps * 10) / 10} fps` : '';
  return `${main.codec ?? 'unknown codec'}${size}${fps}`;
}
