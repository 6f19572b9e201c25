"""Pulls access units from an appsink through ctypes instead of PyGObject (encoded delivery's per-unit path).

A unit through PyGObject (pull_sample, get_buffer, get_caps, has_flags, map, bytes, reference meta) made the worker's
pull thread the largest part of its CPU after the RTSP receive; the same through libgstreamer's C functions and the
public GstBuffer fields costs about half (docs/performance.md, "The media worker's CPU"). The field offsets come from
ctypes mirrors of GStreamer's public structs and are checked against PyGObject at start-up; when anything does not
match, `open_fast_sink` returns None and the worker keeps its PyGObject path.
"""
import ctypes as C

from gi.repository import Gst

_vp = C.c_void_p


class _MiniObject(C.Structure):
    _fields_ = [("type", C.c_size_t), ("refcount", C.c_int), ("lockstate", C.c_int), ("flags", C.c_uint),
                ("copy", _vp), ("dispose", _vp), ("free", _vp), ("priv_uint", C.c_uint), ("priv_pointer", _vp)]


class _Buffer(C.Structure):
    _fields_ = [("mini_object", _MiniObject), ("pool", _vp), ("pts", C.c_uint64), ("dts", C.c_uint64),
                ("duration", C.c_uint64), ("offset", C.c_uint64), ("offset_end", C.c_uint64)]


class _Meta(C.Structure):
    _fields_ = [("flags", C.c_uint), ("info", _vp)]


class _ReferenceTimestampMeta(C.Structure):
    _fields_ = [("parent", _Meta), ("reference", _vp), ("timestamp", C.c_uint64), ("duration", C.c_uint64)]


FLAGS_AT = _MiniObject.flags.offset
PTS_AT = _Buffer.pts.offset
REF_TS_AT = _ReferenceTimestampMeta.timestamp.offset
DELTA_UNIT = int(Gst.BufferFlags.DELTA_UNIT)


def _bind():
    gst = C.CDLL("libgstreamer-1.0.so.0")
    app = C.CDLL("libgstapp-1.0.so.0")
    sigs = {
        (app, "gst_app_sink_pull_sample"): (_vp, [_vp]),
        (gst, "gst_sample_get_buffer"): (_vp, [_vp]),
        (gst, "gst_sample_get_caps"): (_vp, [_vp]),
        (gst, "gst_buffer_get_size"): (C.c_size_t, [_vp]),
        (gst, "gst_buffer_extract"): (C.c_size_t, [_vp, C.c_size_t, _vp, C.c_size_t]),
        (gst, "gst_buffer_get_reference_timestamp_meta"): (_vp, [_vp, _vp]),
        (gst, "gst_caps_from_string"): (_vp, [C.c_char_p]),
        (gst, "gst_caps_get_structure"): (_vp, [_vp, C.c_uint]),
        (gst, "gst_structure_get_int"): (C.c_int, [_vp, C.c_char_p, C.POINTER(C.c_int)]),
        (gst, "gst_mini_object_ref"): (_vp, [_vp]),
        (gst, "gst_mini_object_unref"): (None, [_vp]),
    }
    for (lib, name), (res, args) in sigs.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args
    return gst, app


def _self_check(gst):
    """PyGObject's hash of a wrapper is the C pointer; read a known buffer through the offsets above."""
    ntp = Gst.Caps.from_string("timestamp/x-ntp")
    buf = Gst.Buffer.new_wrapped(b"kuzet")
    buf.pts = 0x0123456789AB
    buf.set_flags(Gst.BufferFlags.DELTA_UNIT)
    buf.add_reference_timestamp_meta(ntp, 0x0FEDCBA98765, Gst.CLOCK_TIME_NONE)
    p = hash(buf)
    if gst.gst_buffer_get_size(p) != 5:
        return False
    meta = gst.gst_buffer_get_reference_timestamp_meta(p, hash(ntp))
    return (C.c_uint64.from_address(p + PTS_AT).value == 0x0123456789AB
            and C.c_uint.from_address(p + FLAGS_AT).value & DELTA_UNIT != 0
            and bool(meta) and C.c_uint64.from_address(meta + REF_TS_AT).value == 0x0FEDCBA98765)


class FastSink:
    """pull() -> (data, pts_ns, ntp_ns, key, width, height) or None at EOS / flushing.

    `data` is a memoryview into a buffer reused by the next pull (write it out before pulling again); pts_ns is
    Gst.CLOCK_TIME_NONE when unset; ntp_ns is the RTCP reference timestamp (0 when none arrived yet). Call pull()
    from one thread only; ctypes releases the GIL while the appsink waits.
    """

    def __init__(self, gst, app, sink_ptr):
        self._gst = gst
        self._pull = app.gst_app_sink_pull_sample
        self._sink = sink_ptr
        self._ntp = gst.gst_caps_from_string(b"timestamp/x-ntp")
        self._caps = None  # held with a ref, so its address cannot be reused by other caps
        self._size = (2, 2)
        self._store = C.create_string_buffer(1 << 16)
        self._view = memoryview(self._store)

    def _read_size(self, caps):
        g = self._gst
        if self._caps:
            g.gst_mini_object_unref(self._caps)
        self._caps = g.gst_mini_object_ref(caps)
        w, h = C.c_int(), C.c_int()
        st = g.gst_caps_get_structure(caps, 0)
        if st and g.gst_structure_get_int(st, b"width", C.byref(w)) and g.gst_structure_get_int(st, b"height", C.byref(h)):
            self._size = (w.value, h.value)

    def pull(self):
        g = self._gst
        sample = self._pull(self._sink)
        if not sample:
            return None
        try:
            buf = g.gst_sample_get_buffer(sample)
            if not buf:
                return (self._view[:0], Gst.CLOCK_TIME_NONE, 0, False) + self._size
            caps = g.gst_sample_get_caps(sample)
            if caps and caps != self._caps:
                self._read_size(caps)
            n = g.gst_buffer_get_size(buf)
            if n > len(self._store):
                self._store = C.create_string_buffer(n * 2)
                self._view = memoryview(self._store)
            n = g.gst_buffer_extract(buf, 0, self._store, n)
            meta = g.gst_buffer_get_reference_timestamp_meta(buf, self._ntp)
            ntp = C.c_uint64.from_address(meta + REF_TS_AT).value if meta else 0
            key = not C.c_uint.from_address(buf + FLAGS_AT).value & DELTA_UNIT
            return (self._view[:n], C.c_uint64.from_address(buf + PTS_AT).value, ntp, key) + self._size
        finally:
            g.gst_mini_object_unref(sample)


def open_fast_sink(appsink):
    """A FastSink for this appsink, or None when ctypes cannot be trusted here (the caller keeps PyGObject)."""
    try:
        gst, app = _bind()
        C.pythonapi.PyCapsule_GetPointer.restype = _vp
        C.pythonapi.PyCapsule_GetPointer.argtypes = [C.py_object, C.c_char_p]
        ptr = C.pythonapi.PyCapsule_GetPointer(appsink.__gpointer__, None)
        # checked before any pointer from hash() is dereferenced
        if not ptr or ptr != hash(appsink) or not _self_check(gst):
            return None
        return FastSink(gst, app, ptr)
    except (OSError, AttributeError, TypeError, ValueError):
        return None
