"""RTSP media for one camera stream: an appsrc fed with pre-encoded access units in a loop, paced
by clocksync at 25 fps; in time-stamp mode the clip's decoded pictures (sim_decoded.py) are stamped and encoded live."""
import json
import sys

import gi

gi.require_version('Gst', '1.0')
from gi.repository import Gst  # noqa: E402

from sim_scenes import truth  # noqa: E402
from sim_stamp import StampBurner  # noqa: E402

FRAME_NS = Gst.SECOND // 25
LIVE_KBPS = {'1080p': 6000, '720p': 4000, '480p': 1800, '360p': 1000}


def launch_line(timestamp: bool, size: str, codec: str = 'h264') -> str:
    if timestamp and codec != 'h264':
        raise ValueError('time-stamp mode encodes H.264 only')
    caps = f'video/x-{codec},stream-format=byte-stream,alignment=au,framerate=25/1'
    src = f'appsrc name=src format=time is-live=false max-buffers=3 caps="{caps}" ! clocksync'
    # config-interval=0: parameter sets travel in-band once per key access unit; the payloader's own
    # insertion would put them before every slice of a multi-slice IDR and split the frame.
    pay = f'rtp{codec}pay name=pay0 pt=96 config-interval=0'
    if not timestamp:
        return f'( {src} ! {pay} )'
    # the clip's decoded pictures (sim_decoded.py; the caps, with the size, set by the Feeder), stamped and encoded at
    # the clips' own bit rate, as a camera sends (at quantizer 21, 720p went out at 12.7 Mbps, three times the clip's,
    # and every stage after the camera paid for it: 2026-12-07, docs/performance.md)
    raw = 'appsrc name=src format=time is-live=false max-buffers=3 ! clocksync'
    return (f'( {raw} ! identity name=stamp ! '
            f'x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 pass=cbr bitrate={LIVE_KBPS[size]} '
            f'vbv-buf-capacity=1000 ! '
            f'h264parse config-interval=-1 ! {pay} )')


def damaged(picture: bytes, width: int, rng) -> bytes:
    """A stamped camera's corrupt picture: a band of luma rows below the stamp turned to noise (what a decoder shows of
    damaged slices; the stream itself is encoded whole)."""
    out = bytearray(picture)
    rows = len(picture) * 2 // 3 // width
    top = rng.randrange(rows // 4, max(rows // 4 + 1, rows - rows // 8))
    band = min(rows - top, max(8, rows // 8)) * width
    out[top * width:top * width + band] = rng.randbytes(band)
    return bytes(out)


class Feeder:
    """Pushes one access unit per need-data; timestamps are a frame counter so the loop is seamless
    (raw .h264 has none, and pts must equal dts or RTP timestamps collapse)."""

    def __init__(self, camera, profile: str, store, element):
        self.camera, self.profile, self.store = camera, profile, store
        self.src = element.get_by_name('src')
        self.clip = store.clip(camera.scene, camera.size(profile), camera.codec)
        self.pos = 0
        self.count = 0
        self.offset_ns = 0  # scene clock: shifts capture times to the middle of their 40 ms step
        self.phased = False
        self.waiting = False
        self.src.connect('need-data', self._need_data)
        stamp = element.get_by_name('stamp')
        self.decoded = None  # time-stamp mode: the clip's pictures, pushed instead of its access units
        if stamp is not None:
            self.burner = StampBurner(stamp.get_static_pad('src'))
            self._use_decoded()

    def _need_data(self, _src, _length):
        if self.camera.stalled:
            self.waiting = True  # appsrc waits until resume() pushes again: connection kept, no data
            return
        self._push()

    def resume(self):
        """After a stall: continue at the current running time from the next keyframe."""
        if not self.waiting:
            return
        self.waiting = False
        clock = self.src.get_clock()
        if clock is not None:
            running = clock.get_time() - self.src.get_base_time()
            self.count = max(self.count, running // FRAME_NS + 1)
        units = self.clip.units
        while not units[self.pos][1]:
            self.pos = (self.pos + 1) % len(units)
        self.phased = False
        self._push()

    def _push(self):
        wanted = self.store.clip(self.camera.scene, self.camera.size(self.profile), self.camera.codec)
        if wanted is not self.clip and self.clip.units[self.pos][1]:
            self.clip, self.pos = wanted, 0  # switch resolution at a keyframe: new SPS on the same mount
            self.phased = False
            if self.decoded is not None:
                self._use_decoded()
        if self.camera.scene_clock and not self.phased and self.clip.units[self.pos][1] and self._playing():
            self._phase()
        if self.decoded is not None:
            data = self.decoded.frame(self.pos)
            if self.camera.corrupting():
                data = damaged(data, self.decoded.width, self.camera.rng)
        elif self.camera.corrupting():
            data = self.clip.corrupted(self.pos, max(4, len(self.clip.units[self.pos][0]) // 2000), self.camera.rng)
        else:
            data = self.clip.units[self.pos][0]
        if self.camera.truth:
            self._truth()
        buf = Gst.Buffer.new_wrapped(data)
        buf.pts = buf.dts = self.count * FRAME_NS + self.offset_ns
        buf.duration = FRAME_NS
        self.count += 1
        self.pos = (self.pos + 1) % len(self.clip.units)
        self.src.emit('push-buffer', buf)

    def _use_decoded(self):
        self.decoded = self.store.decoded(self.clip)
        self.src.set_property('caps', self.decoded.caps)

    def _phase(self):
        """Scene clock: the clip frame sent with capture time c (ms) is floor(c / 40) mod the loop, on both streams of
        every camera, as a real camera's main and sub-stream show one scene; analytics then know where the objects are
        from the time alone. Called at a key frame: capture times move to the middle of their 40 ms step (a sub-frame
        shift of pts), and the stream jumps to the key frame at or after its phase and waits for its time (< 1 s).
        Only once PLAYING: the base time a prerolled pipeline has is replaced when it starts to play (a client's PLAY
        seconds after DESCRIBE on a busy machine moved every capture time, and the phase with it)."""
        wall_minus_running = self._wall_at_running_zero()
        if wall_minus_running is None:
            return  # not playing yet: the next key frame tries again
        capture_ns = wall_minus_running + self.count * FRAME_NS + self.offset_ns
        self.offset_ns += (FRAME_NS // 2 - capture_ns % FRAME_NS) % FRAME_NS
        units = self.clip.units
        want = ((wall_minus_running + self.count * FRAME_NS + self.offset_ns) // FRAME_NS) % len(units)
        wait = 0
        while not units[(want + wait) % len(units)][1]:
            wait += 1
        self.pos = (want + wait) % len(units)
        self.count += wait
        self.phased = True

    def _truth(self):
        """Ground truth of the frame about to be pushed, one JSON line on stdout: its capture time on the sender's
        wall clock (what RTCP sender reports carry: rtpbin maps running time to the real-time clock when it sends
        them; clocksync releases this frame when the pipeline clock reaches base time + pts) and the true boxes
        of the scene's moving objects at this clip frame (sim_scenes.py, the same expressions that drew them)."""
        wall_minus_running = self._wall_at_running_zero() if self._playing() else None
        if wall_minus_running is None:
            return  # prerolling: its capture time is not known until the pipeline plays (the frame is not reported)
        capture_ns = wall_minus_running + self.count * FRAME_NS + self.offset_ns
        scene = self.clip_scene()
        line = {'truth': {'camera': self.camera.id, 'profile': self.profile, 'scene': scene, 'frame': self.pos,
                          'captureMs': capture_ns // 1_000_000, 'objects': truth(scene, self.pos)}}
        sys.stdout.write(json.dumps(line, separators=(',', ':')) + '\n')
        sys.stdout.flush()

    def _playing(self) -> bool:
        return self.src.get_state(0)[1] == Gst.State.PLAYING

    def _wall_at_running_zero(self):
        """The sender's wall clock (ns) at running time 0, or None without a clock: the pipeline's base time, since
        every pipeline of the simulator runs on the wall clock (simulator.py), so a capture time is base time + pts."""
        if self.src.get_clock() is None:
            return None
        return self.src.get_base_time()

    def clip_scene(self) -> str:
        return self.store.scene_of(self.clip)
