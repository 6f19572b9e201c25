/** Where a picture of pw x ph lands inside a w x h box with object-fit: contain (centred, letterboxed). Pure. */
export function containRect(w: number, h: number, pw: number, ph: number): { x: number; y: number; w: number; h: number } {
  if (pw <= 0 || ph <= 0 || w <= 0 || h <= 0) return { x: 0, y: 0, w, h };
  const s = Math.min(w / pw, h / ph);
  const fw = pw * s, fh = ph * s;
  return { x: (w - fw) / 2, y: (h - fh) / 2, w: fw, h: fh };
}
