#!/usr/bin/python3
"""Kuzet media worker: one camera, one GStreamer pipeline, KZF1 frames on stdout.

stdin line 1: {"pipeline", "url", "username"?, "password"?, "latencyMs"?, "generation"?, "main"?, "encoded"?, "record"?,
  "motion"?, "privacyMasks"?} ("record": see Recorder; the compressed stream is recorded at tee `rec`, no second connection;
  "motion": {"sensitivity", "masks", "decode": "keyframes"|"all"}, see MotionTap: pictures from appsink `motion`;
  "privacyMasks": [[{"x","y"}, ...], ...], permanent masks painted black into every picture written, see
  privacy_mask.py; refused with "encoded": such a camera's compressed stream never leaves the host).
  (credentials arrive here, never in argv or logs). Later lines are commands:
  {"cmd":"resize","width":W,"height":H} | {"cmd":"keyframe-only","on":bool} | {"cmd":"stop"}
  | {"cmd":"motion","sensitivity":S,"masks":[...]} (new settings for a running detector)
stdout: 48-byte KZF1 header (frame_header.py; electron/contract/frames.ts) + tightly packed I420 per frame, or, with
  "encoded", + one H.264 access unit (Annex B) for the renderer to decode.
stderr: JSON lines {"type":"state"|"stats"|"clock"|"log"|"motion"|"startup", ...}.
A worker initialises GStreamer before it reads its config, so the host can keep one spawned in advance as a warm
standby (electron/host/streams/standby.ts) and hand it a camera the moment a worker dies.
Run with /usr/bin/python3 (Debian's, which has gi).
"""
import time

# start-up timeline (epoch ms), reported once after the first frame: where a (re)start spends its time
STARTUP = {"script": time.time() * 1000.0}

import ctypes  # noqa: E402
import ctypes.util  # noqa: E402

# die with the parent (PR_SET_PDEATHSIG=1, SIGKILL=9) before anything else can hang
ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl(1, 9)

import collections  # noqa: E402
import fcntl  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

import gi  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from motion import MotionDetector, validate_settings  # noqa: E402
from privacy_mask import MaskPainter, validate_polygons  # noqa: E402

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
gi.require_version("GstApp", "1.0")
from gi.repository import GLib, Gst, GstApp, GstVideo  # noqa: E402,F401  (GstApp: direct pull_sample)
from fast_sink import open_fast_sink  # noqa: E402
from frame_header import HEADER_BYTES, flags_for, i420_size, pack as pack_header  # noqa: E402

NTP_EPOCH_OFFSET_MS = 2208988800000  # 1900-01-01 -> 1970-01-01
F_SETPIPE_SZ = 1031
EXIT_OK, EXIT_STREAM, EXIT_CONFIG = 0, 2, 3


def emit(obj):
    try:
        os.write(2, (json.dumps(obj) + "\n").encode())
    except OSError:
        pass


def classify(err, debug):
    """GStreamer error -> RetryReason vocabulary of the contract."""
    text = f"{err.message} {debug or ''}".lower()
    if err.matches(Gst.ResourceError.quark(), Gst.ResourceError.NOT_AUTHORIZED) or "401" in text or "unauthorized" in text:
        return "auth"
    if "not-negotiated" in text or err.matches(Gst.CoreError.quark(), Gst.CoreError.MISSING_PLUGIN):
        return "codec"
    if any(err.matches(Gst.StreamError.quark(), c) for c in (
            Gst.StreamError.CODEC_NOT_FOUND, Gst.StreamError.DECODE, Gst.StreamError.FORMAT,
            Gst.StreamError.WRONG_TYPE, Gst.StreamError.NOT_IMPLEMENTED, Gst.StreamError.TYPE_NOT_FOUND)):
        return "codec"
    if "timeout" in text or "timed out" in text or "could not receive any" in text:
        return "timeout"
    # refused connection, unknown host, 404 (the camera does not serve this stream now)
    if any(err.matches(Gst.ResourceError.quark(), c) for c in (
            Gst.ResourceError.OPEN_READ, Gst.ResourceError.OPEN_READ_WRITE, Gst.ResourceError.NOT_FOUND,
            Gst.ResourceError.OPEN_WRITE)):
        return "unreachable"
    return "error"


def buffer_bytes(buf):
    """A copy of a Gst.Buffer's bytes, or None when it cannot be mapped."""
    ok, mi = buf.map(Gst.MapFlags.READ)
    if not ok:
        return None
    try:
        return bytes(mi.data)
    finally:
        buf.unmap(mi)

class Worker:
    def __init__(self, cfg):
        self.generation = int(cfg.get("generation", 0)) & 0xFFFF
        self.main_stream = bool(cfg.get("main", False))
        self.encoded = bool(cfg.get("encoded", False))
        self.keyframe_only = False
        self.kf_probe = None
        self.kf_lock = threading.Lock()
        self.seq = 0
        self.dropped = 0
        self.written = 0
        self.clock_source = None
        self.ntp_caps = Gst.Caps.from_string("timestamp/x-ntp")
        self.layout = None  # (caps, width, height, tight, info)
        self.stopping = False
        polygons = validate_polygons(cfg.get("privacyMasks") or [])
        if polygons and self.encoded:
            raise ValueError("a camera with permanent privacy masks is never forwarded compressed (decode it)")
        self.painter = MaskPainter(polygons) if polygons else None
        self.pipeline = Gst.parse_launch(cfg["pipeline"])
        src = self.pipeline.get_by_name("src")
        self.sink = self.pipeline.get_by_name("sink")
        self.size = self.pipeline.get_by_name("size")
        # key-frame-only gate (identity): after the recording tee, before the decoder or the appsink
        self.kf = self.pipeline.get_by_name("kf")
        if self.encoded:
            if not (src and self.sink and self.kf):
                raise ValueError("an encoded pipeline must name src, kf and sink")
        elif not (src and self.sink and self.size and self.kf):
            raise ValueError("pipeline must name src, kf, size and sink")
        src.set_property("location", cfg["url"])
        if cfg.get("username"):
            src.set_property("user-id", cfg["username"])
        if cfg.get("password"):
            src.set_property("user-pw", cfg["password"])
        Gst.util_set_object_arg(src, "protocols", cfg.get("protocols", "tcp"))
        src.set_property("latency", int(cfg.get("latencyMs", 200)))
        src.set_property("tcp-timeout", int(cfg.get("timeoutMs", 5000)) * 1000)
        try:
            # capture time from RTCP sender reports (NTP) on every buffer once an SR has arrived
            src.set_property("add-reference-timestamp-meta", True)
        except TypeError:
            pass
        self.src = src
        self.scale = self.pipeline.get_by_name("scale")
        # a decode description starts `kf` closed (no picture from before the first key frame); an encoded one does
        # not, and joining a running stream mid-GOP its delta units would be forwarded, skipped by the renderer and
        # counted as the first frame (a tile called live a GOP early): close it here for both. Leaving key-frame-only
        # mode then opens it at the first key unit
        self.kf.set_property("drop-buffer-flags", Gst.BufferFlags.DELTA_UNIT)
        self.set_keyframe_only(bool(cfg.get("keyframeOnly")))
        decq = self.pipeline.get_by_name("decq")
        if decq is not None:
            decq.connect("overrun", self._decoder_behind)
        self.recorder = Recorder(self.pipeline, cfg["record"]) if isinstance(cfg.get("record"), dict) else None
        rec_cfg = cfg.get("record")
        self.sub_recording = SubStreamRecording(rec_cfg, cfg) if isinstance(rec_cfg, dict) and isinstance(rec_cfg.get("sub"), dict) else None
        self.motion = MotionTap(self, cfg["motion"]) if isinstance(cfg.get("motion"), dict) else None
        if self.recorder is not None:
            self.pipeline.get_bus().set_sync_handler(self.recorder.sync_handler)

    # ---- per-frame path: keep it short -----------------------------------------------------
    def _layout_for(self, caps):
        info = GstVideo.VideoInfo.new_from_caps(caps)
        w, h = info.width, info.height
        cw, ch = (w + 1) // 2, (h + 1) // 2
        tight = (list(info.stride[:3]) == [w, cw, cw] and list(info.offset[:3]) == [0, w * h, w * h + cw * ch])
        return (caps, w, h, tight, info)

    def _pack(self, data, w, h, info):
        """Copy padded planes into a tight I420 layout (only for unaligned sizes)."""
        cw, ch = (w + 1) // 2, (h + 1) // 2
        mv = memoryview(data)
        out = bytearray()
        for plane, (pw, ph) in enumerate(((w, h), (cw, ch), (cw, ch))):
            stride, off = info.stride[plane], info.offset[plane]
            for row in range(ph):
                start = off + row * stride
                out += mv[start:start + pw]
        return out

    def pull_loop(self):
        fast = open_fast_sink(self.sink) if self.encoded else None
        if fast is not None:
            return self.pull_encoded(fast)
        out = 1
        first = True
        last_pts = None
        while not self.stopping:
            sample = self.sink.pull_sample()
            if sample is None:
                return  # EOS or flushing; the bus reports why
            buf = sample.get_buffer()
            caps = sample.get_caps()
            if self.encoded:
                self.write_access_unit(out, buf, caps, first)
                first = False
                continue
            lay = self.layout
            if lay is None or not caps.is_equal(lay[0]):
                lay = self.layout = self._layout_for(caps)
            _, w, h, tight, info = lay
            capture = self.capture_ms(buf)
            pts = buf.pts / 1e6 if buf.pts != Gst.CLOCK_TIME_NONE else 0.0
            # frames the latest-wins appsink dropped show as pts gaps (no per-frame probe needed)
            dur = buf.duration
            if last_pts is not None and dur != Gst.CLOCK_TIME_NONE and dur > 0 and not self.keyframe_only:
                gap = round((pts - last_pts) * 1e6 / dur) - 1
                if 0 < gap < 250:
                    self.dropped += gap
            last_pts = pts
            flags = flags_for(self.keyframe_only, self.main_stream)
            ok, mi = buf.map(Gst.MapFlags.READ)
            if not ok:
                continue
            try:
                data = mi.data if tight else self._pack(mi.data, w, h, info)
                if self.painter is not None:
                    data = self.painter.paint(data, w, h)  # a copy: the masked pixels never reach the pipe
            finally:
                buf.unmap(mi)
            self.write_frame(out, flags, w, h, pts, capture, data, 0, i420_size(w, h), first)
            first = False

    def pull_encoded(self, fast):
        """Encoded delivery through FastSink (ctypes): one access unit per message; key units carry SPS/PPS."""
        first = True
        while not self.stopping:
            au = fast.pull()
            if au is None:
                return  # EOS or flushing; the bus reports why
            data, pts, ntp, key, w, h = au
            if not data:
                continue
            flags = flags_for(self.keyframe_only, self.main_stream, encoded=True, key=key)
            pts_ms = pts / 1e6 if pts != Gst.CLOCK_TIME_NONE else 0.0
            self.write_frame(1, flags, w, h, pts_ms, self.capture_from(ntp), data, len(data), len(data), first)
            first = False

    def capture_ms(self, buf):
        """Capture time: the RTCP sender report's NTP clock when one arrived, else arrival time."""
        meta = buf.get_reference_timestamp_meta(self.ntp_caps)
        return self.capture_from(meta.timestamp if meta is not None else 0)

    def capture_from(self, ntp_ns):
        """Capture time in epoch ms from a reference timestamp (NTP ns, 0 when no sender report yet)."""
        if ntp_ns:
            if self.clock_source != "rtcp":
                self.clock_source = "rtcp"
                emit({"type": "clock", "source": "rtcp"})
            return ntp_ns / 1e6 - NTP_EPOCH_OFFSET_MS
        if self.clock_source is None:
            self.clock_source = "arrival"
            emit({"type": "clock", "source": "arrival"})
        return time.time() * 1000.0

    def write_access_unit(self, out, buf, caps, first):
        """Encoded delivery through PyGObject, where FastSink cannot be used: as pull_encoded."""
        st = caps.get_structure(0)
        ok_w, w = st.get_int("width")
        ok_h, h = st.get_int("height")
        if not (ok_w and ok_h):
            w, h = 2, 2  # h264parse always sets them; never write a zero size
        key = not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)
        flags = flags_for(self.keyframe_only, self.main_stream, encoded=True, key=key)
        pts = buf.pts / 1e6 if buf.pts != Gst.CLOCK_TIME_NONE else 0.0
        data = buffer_bytes(buf)
        if data is None:
            return
        if not data:
            return
        self.write_frame(out, flags, w, h, pts, self.capture_ms(buf), data, len(data), len(data), first)

    def write_frame(self, out, flags, w, h, pts_ms, capture_ms, data, encoded_len, payload, first):
        """One KZF1 frame (header + payload bytes) on `out`; the first one also reports the stream live."""
        header = pack_header(flags, w, h, self.seq, pts_ms, capture_ms, self.generation, encoded_len)
        self.seq = (self.seq + 1) & 0xFFFFFFFF
        try:
            write_all(out, header, data, HEADER_BYTES + payload)
        except OSError:
            os._exit(EXIT_OK)  # host closed the pipe: it is gone or stopped us
        self.written += 1
        if first:
            emit({"type": "state", "state": "live", "width": w, "height": h})
            mark("frame")
            emit({"type": "startup", "marks": {k: round(v, 1) for k, v in STARTUP.items()}})

    # ---- keyframe-only mode -------------------------------------------------------------
    def set_keyframe_only(self, on):
        """Identity `kf` drops delta units in C; leaving the mode, a probe lets them through from the next key unit."""
        with self.kf_lock:
            self.keyframe_only = bool(on)
            if on:
                self.kf.set_property("drop-buffer-flags", Gst.BufferFlags.DELTA_UNIT)
            elif self.kf_probe is None and self.kf.get_property("drop-buffer-flags"):
                self.kf_probe = self.kf.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, self._resume_at_key)

    def _decoder_behind(self, _queue):
        """The decoder's leaky queue is full and drops compressed units: what follows a gap decodes into smeared (H.264)
        or grey (H.265: libav invents the missing references) pictures, so close the gate until the next key unit."""
        with self.kf_lock:
            if self.keyframe_only or self.kf_probe is not None:
                return
            self.kf.set_property("drop-buffer-flags", Gst.BufferFlags.DELTA_UNIT)
            self.kf_probe = self.kf.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, self._resume_at_key)

    def _resume_at_key(self, _pad, info):
        buf = info.get_buffer()
        if buf is not None and buf.has_flags(Gst.BufferFlags.DELTA_UNIT):
            return Gst.PadProbeReturn.OK  # still dropped by the identity: no picture without its key frame
        with self.kf_lock:
            self.kf_probe = None
            if not self.keyframe_only:  # unless the mode was switched on again meanwhile
                self.kf.set_property("drop-buffer-flags", Gst.BufferFlags(0))
        return Gst.PadProbeReturn.REMOVE

    # ---- control --------------------------------------------------------------------------
    def command(self, msg):
        cmd = msg.get("cmd")
        if cmd == "resize" and self.encoded:
            return  # the renderer scales decoded pictures itself
        if cmd == "resize":
            w, h = msg.get("width"), msg.get("height")
            if not (isinstance(w, int) and isinstance(h, int) and 2 <= w <= 8192 and 2 <= h <= 8192):
                emit({"type": "log", "level": "warn", "message": "resize: width/height must be integers 2..8192"})
                return
            method = msg.get("method")
            if method in ("nearest-neighbour", "bilinear") and self.scale is not None:
                Gst.util_set_object_arg(self.scale, "method", method)
            self.size.set_property("caps", Gst.Caps.from_string(f"video/x-raw,format=I420,width={w},height={h}"))
        elif cmd == "keyframe-only":
            self.set_keyframe_only(bool(msg.get("on")))
        elif cmd == "motion":
            if self.motion is None:
                emit({"type": "log", "level": "warn", "message": "motion: this worker was started without motion detection"})
            else:
                self.motion.configure(msg)
        elif cmd == "stop":
            self.stop(EXIT_OK)
        else:
            emit({"type": "log", "level": "warn", "message": f"unknown command {str(cmd)[:40]!r}"})

    def stop(self, code):
        self.stopping = True
        if self.sub_recording is not None:
            self.sub_recording.finish()
        if self.recorder is not None:
            self.recorder.finish()
        self.pipeline.set_state(Gst.State.NULL)
        os._exit(code)

    def stats(self):
        emit({"type": "stats", "frames": self.written, "dropped": self.dropped, "damaged": DECODE_DAMAGE[0], "bytes": self.rtp_bytes()})
        return True

    def rtp_bytes(self):
        """Bytes received from the camera (RTP session stats), read once a second instead of per packet."""
        try:
            manager = self.src.get_by_name("manager")
            session = manager.emit("get-internal-session", 0) if manager else None
            text = session.get_property("stats").to_string() if session else ""
            total = 0
            for part in text.split("is-sender\\=\\(boolean\\)true")[1:]:
                key = "octets-received\\=\\(guint64\\)"
                i = part.find(key)
                if i >= 0:
                    digits = part[i + len(key):].split("\\", 1)[0]
                    total += int(digits) if digits.isdigit() else 0
            return total
        except Exception:  # stats are best effort; never take the stream down for them
            return 0



# ---- motion detection (issue 3) -------------------------------------------------------------
class MotionTap:
    """Reads the small pictures of appsink `motion` (see native/pipelines/gstreamer.ts) and runs the detector.

    With encoded delivery the branch has its own decoder, fed only key units by default (identity `motkf` in the
    pipeline drops delta units); with decoded delivery it taps the wall's decoder. Reports
    {"type":"motion","captureTime","track","area","confidence","boxes"} on stderr. Bad settings disable the detector
    with a warning; they never take the stream down.
    """

    def __init__(self, worker, cfg):
        self.worker = worker
        self.detector = None
        self.sink = worker.pipeline.get_by_name("motion")
        if self.sink is None:
            emit({"type": "log", "level": "warn", "message": "motion: the pipeline has no appsink named motion"})
            return
        self.configure(cfg)

    def start(self):
        """After the pipeline went to PLAYING (an appsink below PAUSED answers pull_sample with None at once)."""
        if self.sink is not None:
            threading.Thread(target=self.pull_loop, daemon=True).start()

    def configure(self, cfg):
        try:
            sensitivity, masks = validate_settings(cfg)
        except ValueError as e:
            emit({"type": "log", "level": "warn", "message": f"motion detection off: {e}"})
            self.detector = None
            return
        self.settings = (sensitivity, masks)
        if self.detector is None:
            self.detector = MotionDetector(64, 36, sensitivity, masks)
        else:
            self.detector.configure(sensitivity, masks)

    def pull_loop(self):
        layout = None
        while not self.worker.stopping:
            sample = self.sink.pull_sample()
            if sample is None:  # flushing (a reconnect inside rtspsrc) or EOS: the bus decides what happens
                time.sleep(0.1)
                continue
            det = self.detector
            if det is None:
                continue
            caps = sample.get_caps()
            if layout is None or not caps.is_equal(layout[0]):
                info = GstVideo.VideoInfo.new_from_caps(caps)
                layout = (caps, info.width, info.height, info.stride[0], info.offset[0])
                if (info.width, info.height) != (det.width, det.height):
                    det = self.detector = MotionDetector(info.width, info.height, *self.settings)
            _, w, h, stride, off = layout
            buf = sample.get_buffer()
            data = buffer_bytes(buf)
            if data is None:
                continue
            luma = data[off:off + w * h] if stride == w else b"".join(data[off + r * stride:off + r * stride + w] for r in range(h))
            try:
                event = det.feed(luma, self.worker.capture_ms(buf))
            except ValueError as e:
                emit({"type": "log", "level": "warn", "message": f"motion: {e}"})
                continue
            if event is not None:
                event["type"] = "motion"
                emit(event)


def _drop_all(_pad, _info):
    return Gst.PadProbeReturn.DROP



# ---- recording branch (issue 4) ------------------------------------------------------------
# Units whose time stamps a timestamping error's log shows.
RECENT_UNITS = 120
# A step back in running time larger than this re-times the recording branch (_retime); B-frames reorder by less.
REORDER_SLACK_NS = 300_000_000
# Step between units assumed until one is measured (25 fps), and the largest step taken as a frame's.
DEFAULT_STEP_NS = 40_000_000
MAX_STEP_NS = 200_000_000


def _ms(t):
    return "-" if t == Gst.CLOCK_TIME_NONE else f"{t / 1e6:.1f}"


def _unit_text(u):
    """One unit of Recorder.recent for the log: pts/dts in ms ("-": none), K a key frame, D a discontinuity."""
    if u[0] == "segment":
        return f"[segment start={u[1]} base={u[2]} time={u[3]}]"
    return f"{_ms(u[0])}/{_ms(u[1])}{'K' if u[2] else ''}{'D' if u[3] else ''}"


# Units without a time stamp in a row (10 s at 25 fps) after which the recording fails instead of waiting for one.
STAMPLESS_LIMIT = 250

class Recorder:
    """Records the compressed stream at tee `rec` as fragmented MP4 segments, without re-encoding.

    cfg: {"dir": "<root>/<camera>", "segmentMs": 4000, "fragmentMs": 1000}. Files are
    <dir>/<YYYY-MM-DD>/<startEpochMs>.mp4 (UTC day). Reports on stderr:
    {"type":"segment","event":"opened"|"closed","path","startMs","endMs"?,"bytes"?} and
    {"type":"recording","state":"recording"|"error","message"?,"element"?,"detail"?} (an error carries GStreamer's
    debug string and the element that posted it). An error in this branch (disk full, folder gone, read-only) stops
    recording only: a probe drops its buffers so the wall keeps going.

    Time stamps: mp4mux refuses an access unit without one ("Could not multiplex stream": "Buffer has no PTS.").
    A camera that stalls for a moment and then sends its backlog in a burst (or a simulator starved on a busy
    machine) gets the same arrival time stamp on several frames from rtspsrc's jitter buffer, and h264parse clears
    the repeats. So a gate on the branch's own thread drops, from a unit
    without a time stamp, everything up to the next key frame that has one: a gap of under a GOP, not a recording
    that stops. Time stamps that go back (the jitter buffer resyncing at a busy start) re-time the rest of the branch
    (_retime) instead of stopping splitmuxsink ("Queued GOP time is negative").
    """

    def __init__(self, pipeline, cfg, stream=None):
        self.pipeline = pipeline
        self.dir = str(cfg["dir"])
        # "sub": the sub-stream's recorder (SubStreamRecording); its reports say so, its folder is <root>/<camera>/sub
        self.stream = stream
        # None: a failure is reported at once; else called with the report instead (from whichever thread failed)
        self.on_fail = None
        self.root = os.path.dirname(os.path.dirname(self.dir)) if stream == "sub" else os.path.dirname(self.dir)
        self.failed = False
        self.started = False
        self.current = None
        self.opened = {}  # location -> (startMs, running-time ns)
        self.ntp_caps = Gst.Caps.from_string("timestamp/x-ntp")
        tee = pipeline.get_by_name("rec")
        if tee is None:
            raise ValueError("recording needs a tee named rec")
        self.queue = Gst.ElementFactory.make("queue", "recq")
        # leaky, 5 s: a stalled disk drops recording data instead of stalling the wall
        self.queue.set_property("leaky", 2)
        self.queue.set_property("max-size-buffers", 0)
        self.queue.set_property("max-size-bytes", 0)
        self.queue.set_property("max-size-time", 5 * Gst.SECOND)
        self.sink = Gst.ElementFactory.make("splitmuxsink", "recsink")
        mux = Gst.ElementFactory.make("mp4mux", "recmux")
        # fragmented: a segment cut short by a crash stays playable up to its last whole fragment
        mux.set_property("fragment-duration", int(cfg.get("fragmentMs", 1000)))
        mux.set_property("streamable", True)
        self.sink.set_property("muxer", mux)
        self.sink.set_property("max-size-time", int(cfg.get("segmentMs", 4000)) * Gst.MSECOND)
        self.sink.set_property("location", os.path.join(self.dir, "pending.mp4"))
        self.sink.connect("format-location-full", self._location)
        pipeline.add(self.queue)
        pipeline.add(self.sink)
        self.pad = tee.request_pad_simple("src_%u") if hasattr(tee, "request_pad_simple") else tee.get_request_pad("src_%u")
        self.pad.link(self.queue.get_static_pad("sink"))
        self.queue.link(self.sink)
        # Open from the start: what reaches the muxer before the first key frame is as before (splitmuxsink starts its
        # first fragment at a key frame itself); holding those units back kept the branch's sink from prerolling, and
        # with it the whole pipeline of a recorded camera from PLAYING (the wall's tiles timed out, 2026-12-04).
        # The gate closes only on a unit without a time stamp, until the next key frame that has one.
        self.gate_open = True
        # the last units' time stamps, for the log of a timestamping error
        self.recent = collections.deque(maxlen=RECENT_UNITS)
        self.skipped = 0  # units dropped since the gate closed mid-stream
        self.stampless = 0  # units in a row without a time stamp
        self.queue.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, self._timestamp_gate)
        # Running time kept from going back (see _retime): the upstream segment, the shift added to its base, the last
        # running time let through and the typical step between units
        self.segment = None
        self.shift = 0
        self.last_rt = None
        self.step = DEFAULT_STEP_NS
        self.pushing_segment = False
        self.queue.get_static_pad("src").add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, self._on_event)

    def _on_event(self, pad, info):
        """Notes upstream's segment; once the branch's running time was shifted (_retime), passes it on shifted too."""
        ev = info.get_event()
        if ev is None or ev.type != Gst.EventType.SEGMENT or self.pushing_segment:
            return Gst.PadProbeReturn.OK
        self.segment = ev.parse_segment().copy()
        self.recent.append(("segment", self.segment.start, self.segment.base, self.segment.time))
        if self.shift == 0:
            return Gst.PadProbeReturn.OK
        self._push_segment(pad)
        return Gst.PadProbeReturn.DROP

    def _push_segment(self, pad):
        seg = self.segment.copy()
        seg.base = self.segment.base + self.shift
        self.pushing_segment = True
        try:
            pad.push_event(Gst.Event.new_segment(seg))
        finally:
            self.pushing_segment = False

    def _retime(self, pad, buf):
        """Keeps the branch's running time from going back: splitmuxsink fails the recording ("Timestamping error on input
        streams", "Queued GOP time is negative") when a key frame's running time is behind the GOP it is writing.
        rtspsrc's jitter buffer (slave mode) does that at start-up on a busy machine: the first frames arrive in a burst,
        its skew estimate squeezes their time stamps together, and once arrival and RTP time differ by more than a second
        it resyncs, and the time stamps go back 0.9-1.1 s in mid-GOP (docs/recording.md, "Time stamps that go back").
        A step back of more than REORDER_SLACK_NS (more than B-frames reorder) shifts the running time of the rest of this
        branch (a new segment with a larger base, the buffers untouched: they are shared with the wall's branch) so the
        unit follows the last one a frame later: every frame is kept."""
        if self.segment is None or self.segment.format != Gst.Format.TIME:
            return
        ts = buf.dts if buf.dts != Gst.CLOCK_TIME_NONE else buf.pts
        rt = self.segment.to_running_time(Gst.Format.TIME, ts)
        if rt == Gst.CLOCK_TIME_NONE:
            return
        out = rt + self.shift
        last = self.last_rt
        if last is not None and out < last - REORDER_SLACK_NS:
            back = last - out
            self.shift += back + self.step
            out = rt + self.shift
            self._push_segment(pad)
            emit(self.tagged({"type": "log", "level": "warn", "message": f"recording re-timed: the camera's time stamps went back "
                              f"{back / 1e6:.0f} ms (as when the jitter buffer resyncs); the recording goes on a frame after the last one"}))
        elif last is not None and 0 < out - last <= MAX_STEP_NS:
            self.step = out - last
        if last is None or out > last:
            self.last_rt = out

    def _timestamp_gate(self, pad, info):
        buf = info.get_buffer()
        if buf is None:
            return Gst.PadProbeReturn.OK
        self.recent.append((buf.pts, buf.dts, not buf.has_flags(Gst.BufferFlags.DELTA_UNIT), buf.has_flags(Gst.BufferFlags.DISCONT)))
        if buf.pts == Gst.CLOCK_TIME_NONE:
            self.gate_open = False
            self.skipped += 1
            self.stampless += 1
            if self.stampless == STAMPLESS_LIMIT:  # not a burst: this stream has no time stamps to record by
                self.fail(f"the camera's video carries no time stamps ({self.stampless} access units in a row without one)")
            return Gst.PadProbeReturn.DROP
        self.stampless = 0
        if not self.gate_open:
            if buf.has_flags(Gst.BufferFlags.DELTA_UNIT):
                if self.skipped:  # counted from a unit without a time stamp on (a stream joined mid-GOP is not a gap)
                    self.skipped += 1
                return Gst.PadProbeReturn.DROP
            self.gate_open = True
            if self.skipped:
                emit({"type": "log", "level": "warn", "message": f"recording skipped {self.skipped} access units without a time "
                      "stamp (the camera's frames arrived in a burst) up to the next key frame"})
                self.skipped = 0
        self._retime(pad, buf)
        return Gst.PadProbeReturn.OK

    def _epoch_of(self, sample):
        """Capture time of a segment's first access unit (the name and start of its segment): the camera's RTCP sender
        report clock carried on the buffer (the clock live pictures and analytics events are stamped with), so the
        recordings of several cameras line up by when they were captured, not by when each arrived here. Without a
        sender report yet: the wall-clock time of the sample's running time (arrival)."""
        now = time.time()
        try:
            buf, seg = sample.get_buffer(), sample.get_segment()
            meta = buf.get_reference_timestamp_meta(self.ntp_caps)
            if meta is not None and meta.timestamp:
                return (meta.timestamp / 1e6 - NTP_EPOCH_OFFSET_MS) / 1000.0
            rt = seg.to_running_time(Gst.Format.TIME, buf.pts if buf.pts != Gst.CLOCK_TIME_NONE else buf.dts)
            clock = self.pipeline.get_clock()
            if clock is None or rt == Gst.CLOCK_TIME_NONE:
                return now
            rt -= self.shift  # the branch's running time runs ahead of the pipeline's by what _retime added
            current = clock.get_time() - self.pipeline.get_base_time()
            return now - max(0, current - rt) / 1e9
        except Exception:
            return now

    def _location(self, _sink, _index, sample):
        now = self._epoch_of(sample) if sample is not None else time.time()
        day = time.strftime("%Y-%m-%d", time.gmtime(now))
        folder = os.path.join(self.dir, day)
        try:
            # the recordings root must exist (an unmounted disk must not fill the system disk)
            if not os.path.isdir(self.root):
                raise OSError(2, "the recordings folder is gone")
            os.makedirs(folder, exist_ok=True)
        except OSError as e:
            self.fail(f"cannot create {folder}: {e.strerror}")
        self.current = os.path.join(folder, f"{int(now * 1000)}.mp4")
        return self.current

    def owns(self, element):
        while element is not None:
            if element in (self.sink, self.queue):
                return True
            element = element.get_parent()
        return False

    def sync_handler(self, _bus, msg):
        """Runs in the thread that posts: flips the gate before the error's flow return reaches the tee."""
        if msg.type == Gst.MessageType.ERROR and self.owns(msg.src):
            self.fail_from(msg)
        return Gst.BusSyncReply.PASS

    def fail_from(self, msg):
        """An error message of this branch: its text, the element that posted it and GStreamer's debug string."""
        err, debug = msg.parse_error()
        self.fail(err.message, msg.src.get_name() if msg.src else None, debug)

    def fail(self, message, element=None, detail=None):
        if not self.failed:
            self.failed = True
            # from now on the branch gets nothing (no Python on the tee's pad before a failure)
            self.pad.add_probe(Gst.PadProbeType.BUFFER | Gst.PadProbeType.BUFFER_LIST, _drop_all)
            report = self.tagged({"type": "recording", "state": "error", "message": message})
            if element:
                report["element"] = element
            if detail:
                report["detail"] = detail[-1000:]
            if "Timestamping" in f"{message} {detail or ''}":
                emit(self.tagged({"type": "log", "level": "warn", "message": "recording timestamping error; last units (pts ms, dts ms, key): "
                                  + " ".join(_unit_text(u) for u in self.recent)}))
            if self.on_fail is not None:
                self.on_fail(report)
            else:
                emit(report)

    def on_element(self, st):
        name = st.get_name()
        if name not in ("splitmuxsink-fragment-opened", "splitmuxsink-fragment-closed"):
            return
        loc = st.get_string("location")
        ok, rt = st.get_uint64("running-time")
        if name == "splitmuxsink-fragment-opened":
            start = int(os.path.basename(loc).split(".")[0]) if os.path.basename(loc)[0].isdigit() else int(time.time() * 1000)
            self.opened[loc] = (start, rt if ok else 0)
            emit(self.tagged({"type": "segment", "event": "opened", "path": loc, "startMs": start}))
            if not self.started:
                self.started = True
                emit(self.tagged({"type": "recording", "state": "recording"}))
        else:
            start, rt0 = self.opened.pop(loc, (int(time.time() * 1000), 0))
            end = start + max(0, (rt - rt0) // 1000000) if ok and rt0 else int(time.time() * 1000)
            try:
                size = os.path.getsize(loc)
            except OSError:
                size = 0
            emit(self.tagged({"type": "segment", "event": "closed", "path": loc, "startMs": start, "endMs": end, "bytes": size}))

    def tagged(self, report):
        if self.stream:
            report["stream"] = self.stream
        return report

    def finish(self):
        """Stop: finalise the open segment (send EOS to the branch only) before the pipeline goes down."""
        if self.failed:
            return
        try:
            self.sink.send_event(Gst.Event.new_eos())
            time.sleep(0.3)  # let the muxer write the last fragment
        except Exception:
            pass
        try:
            if self.current and os.path.getsize(self.current) == 0:
                os.unlink(self.current)  # opened, never written: not a segment
        except OSError:
            pass


# Seconds before a failed sub-stream connection is tried again.
SUB_RETRY_S = 10


class SubStreamRecording:
    """The camera's sub-stream recorded beside the main one, remux only: its own RTSP connection in its own pipeline
    (`rtspsrc ! depay ! parse ! tee rec`, nothing decoded) with a Recorder on it, reports tagged "stream": "sub".

    cfg: the main recording's cfg; cfg["sub"] = {"dir", "url", "pipeline"}. Its own pipeline and bus: an error or end of
    stream of the sub-stream (camera without one after all, connection lost, its folder unwritable) stops this pipeline
    only, reports {"type":"recording","stream":"sub","state":"error",...} and tries again after SUB_RETRY_S; the main
    pipeline, its recording and the wall never see it.
    """

    def __init__(self, cfg, worker_cfg):
        self.sub = cfg["sub"]
        self.rec_cfg = {"dir": self.sub["dir"], "segmentMs": cfg.get("segmentMs", 4000), "fragmentMs": cfg.get("fragmentMs", 1000)}
        self.worker_cfg = worker_cfg
        self.pipeline = None
        self.recorder = None
        self.retry = None
        self.stopped = False

    def start(self):
        self.retry = None
        self.recorder = None  # the last attempt's (failed) recorder says nothing of this one
        if self.stopped:
            return False
        try:
            p = Gst.parse_launch(self.sub["pipeline"])
            src = p.get_by_name("src")
            src.set_property("location", self.sub["url"])
            wc = self.worker_cfg
            if wc.get("username"):
                src.set_property("user-id", wc["username"])
            if wc.get("password"):
                src.set_property("user-pw", wc["password"])
            Gst.util_set_object_arg(src, "protocols", wc.get("protocols", "tcp"))
            src.set_property("latency", int(wc.get("latencyMs", 200)))
            src.set_property("tcp-timeout", int(wc.get("timeoutMs", 5000)) * 1000)
            try:
                src.set_property("add-reference-timestamp-meta", True)  # capture time, as the main stream's segments
            except TypeError:
                pass
            self.recorder = Recorder(p, self.rec_cfg, "sub")
            # reported once this pipeline is stopped (the host indexes the open segment on the report)
            self.recorder.on_fail = lambda report: GLib.idle_add(self._stop_then_report, report)
        except (GLib.Error, ValueError, TypeError) as e:
            self.failed(getattr(e, "message", None) or str(e))
            return False
        self.pipeline = p
        bus = p.get_bus()
        bus.set_sync_handler(self.recorder.sync_handler)
        bus.add_signal_watch()
        bus.connect("message", self.on_message)
        if p.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            self.failed("the sub-stream's pipeline refused to play")
        return False

    def on_message(self, _bus, msg):
        if self.pipeline is None or msg.src is None:
            return True
        if msg.type == Gst.MessageType.ELEMENT and msg.get_structure() is not None:
            self.recorder.on_element(msg.get_structure())
        elif msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            if self.recorder.owns(msg.src):
                self.recorder.fail_from(msg)  # reported by the recorder (tagged sub) once the pipeline is stopped
            else:
                self.failed(f"sub-stream: {err.message}", msg.src.get_name(), debug)
        elif msg.type == Gst.MessageType.EOS:
            self.failed("sub-stream: the camera ended the stream")
        return True

    def failed(self, message, element=None, detail=None):
        if self.recorder is not None and self.recorder.failed:
            self.teardown()  # the recorder's own failure reports itself after the stop
            return
        report = {"type": "recording", "stream": "sub", "state": "error", "message": message}
        if element:
            report["element"] = element
        if detail:
            report["detail"] = detail[-1000:]
        self._stop_then_report(report)

    def _stop_then_report(self, report):
        """Main loop: stop the pipeline, then report. The host indexes the segment that was open when it hears of the
        failure; reported first, the file was probed while the muxer still wrote into it (and served growing)."""
        self.teardown()
        emit(report)
        return False

    def teardown(self):
        """Stop this connection now (its open segment stays as far as it was written) and try again later."""
        p, self.pipeline = self.pipeline, None
        if p is not None:
            bus = p.get_bus()
            bus.remove_signal_watch()
            bus.set_sync_handler(None)
            p.set_state(Gst.State.NULL)
        if not self.stopped and self.retry is None:
            self.retry = GLib.timeout_add_seconds(SUB_RETRY_S, self.start)

    def finish(self):
        self.stopped = True
        if self.recorder is not None and self.pipeline is not None:
            self.recorder.finish()
        if self.pipeline is not None:
            self.pipeline.set_state(Gst.State.NULL)
# ---- end of recording branch ---------------------------------------------------------------

def write_all(fd, header, data, total):
    n = os.writev(fd, [header, data])
    if n < total:  # a signal can cut a pipe write short; finish the frame
        rest = (header + bytes(data))[n:]
        while rest:
            rest = rest[os.write(fd, rest):]


# ---- start-up: warm first, then wait for the camera ------------------------------------------
# plugins every camera pipeline loads (native/pipelines/gstreamer.ts); loading them is part of a warm start
WARM_PLUGINS = ("coreelements", "rtsp", "rtp", "rtpmanager", "udp", "tcp", "videoparsersbad", "app", "libav",
                "videoscale", "videoconvert", "videoconvertscale")


PR_SET_NAME = 15
STANDBY_NAME = b"kuzet-standby"  # the process name (comm) while warm and waiting: tests and benches tell it apart


def set_process_name(name):
    ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)


def mark(name):
    """First time a start-up phase was reached (epoch ms); later calls keep the first."""
    STARTUP.setdefault(name, time.time() * 1000.0)


def warm_up():
    """What every worker needs before it knows its camera: GStreamer and its plugins (a standby does this idle)."""
    mark("imports")
    Gst.init(None)
    mark("gst")
    for name in WARM_PLUGINS:
        Gst.Plugin.load_by_name(name)  # None when a plugin is absent (newer GStreamer merged some): parse_launch says
    mark("plugins")


def watch_startup(w):
    """One-shot probes: the RTSP answer (stream selected), the first RTP packet, the first parsed and key units."""
    w.src.connect("select-stream", lambda *_: mark("described") or True)

    def first(name, key_only):
        def probe(_pad, info):
            buf = info.get_buffer()
            if key_only and (buf is None or buf.has_flags(Gst.BufferFlags.DELTA_UNIT)):
                return Gst.PadProbeReturn.OK
            mark(name)
            return Gst.PadProbeReturn.REMOVE
        return probe

    depay = w.pipeline.get_by_name("depay")
    if depay is not None:
        depay.get_static_pad("sink").add_probe(Gst.PadProbeType.BUFFER, first("rtp", False))
    pad = w.kf.get_static_pad("sink")
    pad.add_probe(Gst.PadProbeType.BUFFER, first("parsed", False))
    pad.add_probe(Gst.PadProbeType.BUFFER, first("key", True))


# Damage the decoders reported: libav conceals corrupt slices (and drops undecodable pictures) without a bus message
# or a buffer flag; it says so only in its log ("error while decoding MB ...", "concealing ..."), which we count.
DECODE_DAMAGE = [0]


def count_decode_damage():
    """Routes libav's ERROR-level log into DECODE_DAMAGE (keeping GStreamer's own log as it was when GST_DEBUG is set)."""
    if not os.environ.get("GST_DEBUG"):
        Gst.debug_remove_log_function(None)  # nothing else was printed at this level; stderr stays the report channel
        Gst.debug_set_threshold_for_name("libav", Gst.DebugLevel.ERROR)
    Gst.debug_set_active(True)

    def on_log(category, level, _file, _function, _line, _obj, message, *_data):
        if level == Gst.DebugLevel.ERROR and category.get_name() == "libav":
            text = message.get() or ""
            if text.startswith("error while decoding") or text.startswith("concealing"):
                DECODE_DAMAGE[0] += 1

    Gst.debug_add_log_function(on_log, None)


def main():
    # named a standby from the start: until its camera's config arrives it is not any camera's worker (tests and
    # benches count workers per camera; a standby still warming up must not look like one)
    with open("/proc/self/comm", "rb") as f:
        name = f.read().strip()
    set_process_name(STANDBY_NAME)
    warm_up()
    line = sys.stdin.buffer.readline()
    mark("config")
    set_process_name(name)
    try:
        cfg = json.loads(line)
        if not isinstance(cfg, dict) or not isinstance(cfg.get("pipeline"), str) or not isinstance(cfg.get("url"), str):
            raise ValueError("first stdin line must be JSON with string 'pipeline' and 'url'")
    except ValueError as e:
        emit({"type": "state", "state": "error", "reason": "error", "message": f"bad config: {e}"})
        sys.exit(EXIT_CONFIG)
    count_decode_damage()
    try:
        fcntl.fcntl(1, F_SETPIPE_SZ, 1 << 20)  # whole frames per pipe wake-up
    except OSError:
        pass
    emit({"type": "state", "state": "connecting"})
    try:
        w = Worker(cfg)
    except (GLib.Error, ValueError, TypeError) as e:
        msg = getattr(e, "message", None) or str(e)
        emit({"type": "state", "state": "error", "reason": "codec" if "no element" in msg else "error",
              "engineFailure": True, "message": msg})
        sys.exit(EXIT_CONFIG)
    watch_startup(w)
    mark("pipeline")

    loop = GLib.MainLoop()

    def on_message(_bus, msg):
        rec = w.recorder
        if rec is not None and msg.type == Gst.MessageType.ELEMENT and msg.get_structure() is not None:
            rec.on_element(msg.get_structure())
            return True
        if rec is not None and msg.type == Gst.MessageType.ERROR and rec.owns(msg.src):
            rec.fail_from(msg)  # recording stops; the wall goes on
            return True
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            emit({"type": "state", "state": "error", "reason": classify(err, debug),
                  "message": err.message, "source": msg.src.get_name() if msg.src else None})
            w.stop(EXIT_STREAM)
        elif msg.type == Gst.MessageType.EOS:
            emit({"type": "state", "state": "eos", "reason": "eos"})
            w.stop(EXIT_STREAM)
        return True

    bus = w.pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)

    pending = bytearray()

    def on_stdin(fd, cond):
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            w.stop(EXIT_OK)  # host went away or closed our stdin
        pending.extend(chunk)
        while b"\n" in pending:
            raw, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            try:
                msg = json.loads(raw)
                if isinstance(msg, dict):
                    w.command(msg)
            except ValueError:
                emit({"type": "log", "level": "warn", "message": "ignored a command line that is not JSON"})
        return True

    GLib.io_add_watch(0, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP, on_stdin)
    GLib.timeout_add(1000, w.stats)
    if w.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        emit({"type": "state", "state": "error", "reason": "state-change-failure", "message": "pipeline refused to play"})
        sys.exit(EXIT_STREAM)
    mark("playing")
    if w.sub_recording is not None:
        w.sub_recording.start()  # its own connection: whatever becomes of it, the main pipeline is already playing
    threading.Thread(target=w.pull_loop, daemon=True).start()
    if w.motion is not None:
        w.motion.start()
    loop.run()


if __name__ == "__main__":
    main()
