import { afterAll, describe, expect, it } from 'vitest';
import { setLanguage } from '../../renderer/i18n/i18n.js';
import { EMPTY_FORM, FormError, formOf, frigateDetectHint, inputOf, probeSummary, probeWarnings } from '../../renderer/panels/camera-form.js';

const base = { ...EMPTY_FORM, name: ' Gate 3 ', mainUrl: ' rtsp://cam/main ' };

describe('camera form -> CameraInput', () => {
  it('trims text and leaves empty optional fields out', () => {
    expect(inputOf(base)).toEqual({ name: 'Gate 3', mainUrl: 'rtsp://cam/main', kind: 'fixed', tags: [] });
  });

  it('reads a field of view and a range, refuses them out of bounds or without a position', () => {
    expect(inputOf({ ...base, lat: '43.2', lon: '76.9', heading: '90', fov: '75', range: '120,5' }, { lat: 1, lon: 2, fov: 40 }).location)
      .toEqual({ lat: 43.2, lon: 76.9, heading: 90, fov: 75, rangeM: 120.5 });
    expect(() => inputOf({ ...base, lat: '43.2', lon: '76.9', fov: '0' })).toThrow(/field of view: a number from 1 to 360/);
    expect(() => inputOf({ ...base, lat: '43.2', lon: '76.9', range: '20000' })).toThrow(/range: a number from 1 to 10000/);
    expect(() => inputOf({ ...base, range: '50' })).toThrow(/give both latitude and longitude/);
    expect(formOf({ id: 'c', name: 'C', mainUrl: 'rtsp://x', kind: 'fixed', tags: [], location: { lat: 1, lon: 2, fov: 70, rangeM: 150 } } as never)).toMatchObject({ fov: '70', range: '150' });
  });

  it('reads a location with a decimal comma and a heading, and keeps the stored field of view', () => {
    const got = inputOf({ ...base, lat: '43,2367', lon: '76.95', heading: '135' }, { lat: 1, lon: 2, fov: 90 });
    expect(got.location).toEqual({ lat: 43.2367, lon: 76.95, heading: 135, fov: 90 });
  });

  it('names the field that is wrong', () => {
    expect(() => inputOf({ ...base, lat: 'forty-three', lon: '76.9' })).toThrow(new FormError('latitude: a number from -90 to 90, got “forty-three”'));
    expect(() => inputOf({ ...base, lat: '43.2', lon: '200' })).toThrow(/longitude: a number from -180 to 180/);
    expect(() => inputOf({ ...base, lat: '43.2' })).toThrow(/give both latitude and longitude/);
    expect(() => inputOf({ ...base, heading: '90' })).toThrow(/give both latitude and longitude/);
    expect(() => inputOf({ ...base, lat: '43.2', lon: '76.9', heading: '-5' })).toThrow(/heading: a number from 0 to 360/);
  });

  it('reads Frigate camera names and the detect size; an emptied form clears stored settings', () => {
    expect(inputOf({ ...base, frigateNames: 'front_door, abay_crossing', frigateDetect: ' 1280 x 720 ' }).frigate)
      .toEqual({ names: ['front_door', 'abay_crossing'], detectWidth: 1280, detectHeight: 720 });
    expect(inputOf({ ...base, frigateNames: 'front_door' }).frigate).toEqual({ names: ['front_door'] });
    expect(() => inputOf({ ...base, frigateNames: 'front door' })).toThrow(/Frigate camera name: .*“front door”/);
    expect(() => inputOf({ ...base, frigateDetect: '1280' })).toThrow(/Frigate detect size: .*“1280”/);
    expect(() => inputOf({ ...base, frigateDetect: '8x8' })).toThrow(/16 to 8192/);
    expect(inputOf(base, undefined, true).frigate).toEqual({ names: [] });
    expect(frigateDetectHint({ id: 'a', name: 'A', mainUrl: 'rtsp://a', hasCredentials: false, kind: 'fixed', tags: [],
      probe: { main: { ok: true, width: 1920, height: 1080 }, sub: { ok: true, width: 640, height: 360 } } })).toBe('640x360 (sub-stream)');
  });

  it('round-trips a stored camera through the form', () => {
    const cam = { id: 'gate-3', name: 'Gate 3', mainUrl: 'rtsp://cam/main', hasCredentials: true, kind: 'ptz' as const, tags: ['a', 'b'],
      group: 'North', location: { lat: 43.1, lon: 76.8, heading: 10 } };
    const form = formOf(cam);
    expect(form.password).toBe(''); // write-only: an empty password on edit keeps the stored one
    expect(inputOf(form, cam.location)).toEqual({ name: 'Gate 3', mainUrl: 'rtsp://cam/main', kind: 'ptz', tags: ['a', 'b'], group: 'North', location: { lat: 43.1, lon: 76.8, heading: 10 } });
  });
});

describe('probe summary', () => {
  const main = { ok: true, codec: 'h264', width: 1280, height: 720, fps: 25, keyframeIntervalMs: 1000 };
  it('names both streams and their key-frame intervals', () => {
    expect(probeSummary(undefined)).toBe('not probed');
    expect(probeSummary({ main, sub: { ok: true, codec: 'h264', width: 640, height: 360, fps: 25, keyframeIntervalMs: 520 } }))
      .toBe('h264 1280x720 25 fps, a key frame every 1 s · sub-stream: h264 640x360 25 fps, a key frame every 0.5 s');
    expect(probeSummary({ main: { ok: true, codec: 'hevc' }, sub: { ok: false, error: 'camera unreachable: connection refused' } }))
      .toBe('hevc · sub-stream: probe failed: camera unreachable: connection refused');
  });
  it('warns when key frames are too far apart for quick review seeks: over 1 s on the sub-stream, over 2 s on the main', () => {
    expect(probeWarnings({ main: { ...main, keyframeIntervalMs: 2000 }, sub: { ...main, keyframeIntervalMs: 1000 } })).toEqual([]);
    const long = { main: { ...main, keyframeIntervalMs: 4000 }, sub: { ...main, keyframeIntervalMs: 1950, keyframeIntervalAtLeast: true } };
    expect(probeWarnings(long)).toEqual([
      "main stream: key frames 4 s apart make review seeks slow (each decodes from the key frame before its picture): set the camera's I-frame interval to 1 s or less",
      "sub-stream: key frames 2 s apart make review seeks slow (each decodes from the key frame before its picture): set the camera's I-frame interval to 0.5 s or less",
    ]);
    expect(probeSummary(long)).toContain('sub-stream: h264 1280x720 25 fps, key frames over 2 s apart ⚠ main stream: key frames 4 s apart');
    expect(probeWarnings({ main: { ok: false, keyframeIntervalMs: 9000 } })).toEqual([]); // a failed probe says why, not this
  });
  afterAll(async () => { await setLanguage('en'); });
  it('writes the seconds as the console\'s language does', async () => {
    await setLanguage('ru');
    expect(probeSummary({ main, sub: { ...main, keyframeIntervalMs: 1960, keyframeIntervalAtLeast: true } }))
      .toContain('опорные кадры реже раза в 2 с ⚠ доп. поток: опорные кадры через 2 с');
    expect(probeSummary({ main: { ...main, keyframeIntervalMs: 520 } })).toBe('h264 1280x720 25 fps, опорный кадр каждые 0,5 с');
  });
});
