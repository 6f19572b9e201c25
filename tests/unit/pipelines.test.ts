import { describe, expect, it } from 'vitest';
import { buildFfmpegDecodeArgs, buildGstDecodePipeline, buildGstPassthroughPipeline, buildPureDecodeGst, chooseScaleMethod, scaleCaps } from '../../native/pipelines/index.js';

describe('buildGstDecodePipeline', () => {
  // the key-frame gate starts closed: no picture from before the first key frame (the worker opens it there)
  it('builds the named decode chain with the recording tee, a leaky queue and a closed key-frame gate', () => {
    expect(buildGstDecodePipeline({ codec: 'h264', width: 480, height: 270 })).toBe(
      'rtspsrc name=src ! rtph264depay name=depay ! h264parse name=parse ! tee name=rec ! '
      + 'queue name=decq leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=500000000 ! identity name=kf silent=true drop-buffer-flags=delta-unit ! '
      + 'avdec_h264 name=dec max-threads=1 ! videoscale name=scale method=bilinear ! videoconvert name=convert ! '
      + 'capsfilter name=size caps="video/x-raw,format=I420,width=480,height=270" ! '
      + 'appsink name=sink drop=true max-buffers=1 sync=false enable-last-sample=false',
    );
  });

  it('uses the H.265 elements, thread count and scaler asked for', () => {
    const p = buildGstDecodePipeline({ codec: 'h265', width: 640, height: 360, threads: 2, scaleMethod: 'nearest-neighbour' });
    expect(p).toContain('rtph265depay name=depay ! h265parse name=parse');
    expect(p).toContain('avdec_h265 name=dec max-threads=2');
    expect(p).toContain('videoscale name=scale method=nearest-neighbour');
  });

  it('never carries a location or credentials', () => {
    const p = buildGstDecodePipeline({ codec: 'h264', width: 320, height: 180 });
    expect(p).not.toMatch(/location|user-id|user-pw|rtsp:\/\//);
  });

  it('rejects sizes, codecs and thread counts it cannot honour', () => {
    expect(() => buildGstDecodePipeline({ codec: 'h264', width: 0, height: 270 })).toThrow(/width/);
    expect(() => buildGstDecodePipeline({ codec: 'h264', width: 480, height: 9000 })).toThrow(/height/);
    expect(() => buildGstDecodePipeline({ codec: 'h264', width: 480.5, height: 270 })).toThrow(/width/);
    expect(() => buildGstDecodePipeline({ codec: 'vp9' as 'h264', width: 480, height: 270 })).toThrow(/codec/);
    expect(() => buildGstDecodePipeline({ codec: 'h264', width: 480, height: 270, threads: -1 })).toThrow(/threads/);
  });

  it('scaleCaps is exactly what the worker swaps on resize', () => {
    expect(scaleCaps(1280, 720)).toBe('video/x-raw,format=I420,width=1280,height=720');
  });
});

describe('chooseScaleMethod', () => {
  it('picks nearest for mild downscales and bilinear otherwise', () => {
    expect(chooseScaleMethod(640, 480)).toBe('nearest-neighbour');
    expect(chooseScaleMethod(640, 320)).toBe('nearest-neighbour');
    expect(chooseScaleMethod(1280, 320)).toBe('bilinear');
    expect(chooseScaleMethod(640, 1280)).toBe('bilinear');
  });
});

describe('buildFfmpegDecodeArgs', () => {
  it('decodes over TCP to tightly packed yuv420p on stdout with the URL as its own element', () => {
    const url = 'rtsp://127.0.0.1:8554/cam 1/sub';
    expect(buildFfmpegDecodeArgs({ url, width: 480, height: 270 })).toEqual([
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      '-rtsp_transport', 'tcp', '-timeout', '5000000',
      '-fflags', 'nobuffer', '-flags', 'low_delay', '-threads', '1',
      '-i', url, '-an', '-sn', '-dn',
      '-vf', 'scale=480:270:flags=fast_bilinear',
      '-pix_fmt', 'yuv420p', '-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1',
    ]);
  });

  it('skips non-key frames in keyframe-only mode and leaves RTSP options out for other URLs', () => {
    const args = buildFfmpegDecodeArgs({ url: 'file:///clips/a.mp4', width: 320, height: 180, keyframeOnly: true, timeoutMs: 2000 });
    expect(args).toContain('-skip_frame');
    expect(args[args.indexOf('-skip_frame') + 1]).toBe('nokey');
    expect(args).not.toContain('-rtsp_transport');
  });

  it('rejects a missing URL and bad sizes', () => {
    expect(() => buildFfmpegDecodeArgs({ url: '', width: 480, height: 270 })).toThrow(/url/);
    expect(() => buildFfmpegDecodeArgs({ url: 'rtsp://x', width: 1, height: 270 })).toThrow(/width/);
  });
});

describe('buildPureDecodeGst', () => {
  it('is the default full decode to fakesink (benchmark baseline)', () => {
    expect(buildPureDecodeGst('rtsp://127.0.0.1:8554/cam1/sub')).toEqual([
      '-q', 'rtspsrc', 'location=rtsp://127.0.0.1:8554/cam1/sub', 'protocols=tcp', '!', 'rtph264depay', '!', 'h264parse', '!', 'avdec_h264', '!', 'fakesink',
    ]);
  });

  it('refuses URLs that gst-launch would re-parse as pipeline syntax', () => {
    expect(() => buildPureDecodeGst('rtsp://h/x ! filesink location=/etc/passwd')).toThrow(/url/);
    expect(() => buildPureDecodeGst('rtsp://h/a"b')).toThrow(/url/);
  });
});

describe('buildGstPassthroughPipeline (encoded delivery)', () => {
  it('forwards whole access units with parameter sets before every IDR, converted after the recording tee, never leaky', () => {
    expect(buildGstPassthroughPipeline('h264')).toBe(
      'rtspsrc name=src ! rtph264depay name=depay ! h264parse name=parse ! tee name=rec ! identity name=kf silent=true ! '
      + 'h264parse name=wparse config-interval=-1 ! capsfilter caps="video/x-h264,stream-format=byte-stream,alignment=au" ! '
      + 'appsink name=sink sync=false async=false enable-last-sample=false max-buffers=0');
  });

  it('has no queue thread between the tee and the unbounded appsink', () => {
    expect(buildGstPassthroughPipeline('h264')).not.toMatch(/queue/);
  });

  it('refuses H.265, which browsers cannot decode in software', () => {
    expect(() => buildGstPassthroughPipeline('h265')).toThrow(/h264 only/);
  });
});

describe('motion branches', () => {
  const TAIL = 'videoscale name=motscale method=bilinear ! capsfilter name=motsize caps="video/x-raw,format=I420,width=64,height=36" ! '
    + 'appsink name=motion drop=true max-buffers=1 sync=false async=false enable-last-sample=false';

  it('taps the wall decoder with a tee and samples at most 5 pictures a second (no second decoder)', () => {
    const p = buildGstDecodePipeline({ codec: 'h264', width: 160, height: 90, motion: true });
    expect(p).toBe(
      'rtspsrc name=src ! rtph264depay name=depay ! h264parse name=parse ! tee name=rec ! '
      + 'queue name=decq leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=500000000 ! identity name=kf silent=true drop-buffer-flags=delta-unit ! '
      + 'avdec_h264 name=dec max-threads=1 ! tee name=dect ! videoscale name=scale method=bilinear ! videoconvert name=convert ! '
      + 'capsfilter name=size caps="video/x-raw,format=I420,width=160,height=90" ! '
      + 'appsink name=sink drop=true max-buffers=1 sync=false enable-last-sample=false '
      + 'dect. ! queue name=motq leaky=downstream max-size-buffers=1 max-size-bytes=0 max-size-time=0 ! '
      + `videorate name=motrate drop-only=true max-rate=5 ! ${TAIL}`);
    expect(p.match(/avdec_h264/g)).toHaveLength(1);
  });

  it('leaves the decode pipeline untouched without motion', () => {
    expect(buildGstDecodePipeline({ codec: 'h264', width: 160, height: 90 })).not.toMatch(/dect|motion/);
  });

  it('gives encoded delivery its own key-frame decoder on the recording tee', () => {
    const p = buildGstPassthroughPipeline('h264', 'keyframes');
    expect(p.startsWith(buildGstPassthroughPipeline('h264') + ' rec. ! ')).toBe(true);
    expect(p.endsWith(' rec. ! identity name=motkf silent=true drop-buffer-flags=delta-unit ! '
      + 'queue name=motq leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=1000000000 ! '
      + `avdec_h264 name=motdec max-threads=1 ! ${TAIL}`)).toBe(true);
    const all = buildGstPassthroughPipeline('h264', 'all');
    expect(all).toContain(' rec. ! queue name=motq ');
    expect(all).not.toContain('motkf');
    expect(all).toContain('avdec_h264 name=motdec max-threads=1 ! videorate name=motrate drop-only=true max-rate=5 ! ');
  });

  it('refuses an unknown motion decode mode', () => {
    expect(() => buildGstPassthroughPipeline('h264', 'some' as 'all')).toThrow(/motion decode/);
  });
});
