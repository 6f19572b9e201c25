/** Fixtures for the map tests: a tiny basemap (a park, a river and a street east of the demo district, GeoJSON in WGS84) and a solid-colour PNG plan. */
import { deflateSync } from 'node:zlib';
import type { PmtilesFeature } from './pmtiles-writer.js';

/** A park square of about 400 m around this point (its centre is far from every edge and from the other features). */
export const PARK_CENTRE: [number, number] = [77.02, 43.2];
const d = 0.0025;
export const PMTILES_FEATURES: PmtilesFeature[] = [
  { type: 'Feature', properties: { kind: 'park', name: 'Test park', 'name:kk': 'Сынақ саябағы', 'name:ru': 'Тестовый парк' }, geometry: { type: 'Polygon', coordinates: [[[PARK_CENTRE[0] - d, PARK_CENTRE[1] - d], [PARK_CENTRE[0] + d, PARK_CENTRE[1] - d], [PARK_CENTRE[0] + d, PARK_CENTRE[1] + d], [PARK_CENTRE[0] - d, PARK_CENTRE[1] + d], [PARK_CENTRE[0] - d, PARK_CENTRE[1] - d]]] } },
  { type: 'Feature', properties: { kind: 'river', name: 'Test river' }, geometry: { type: 'LineString', coordinates: [[77.01, 43.19], [77.03, 43.192]] } },
  { type: 'Feature', properties: { kind: 'street', name: 'Test street' }, geometry: { type: 'LineString', coordinates: [[77.01, 43.208], [77.03, 43.208]] } },
];

/** A solid-colour RGB PNG (a stand-in site plan), written with zlib: signature, IHDR, one IDAT, IEND. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b: Buffer) => { let c = 0xffffffff; for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: width }, () => Buffer.from(rgb)))]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A solid-colour JPEG of `width` x `height` made by FFmpeg (a real encoder; a stand-in photographed or scanned plan). */
export async function solidJpeg(width: number, height: number, hex: string): Promise<Buffer> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', `color=c=0x${hex}:s=${width}x${height}`, '-frames:v', '1', '-q:v', '2', '-f', 'mjpeg', '-'], { maxBuffer: 16 << 20 });
}
