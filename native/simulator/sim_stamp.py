"""Burns the sender's wall clock into I420 frames: 40 blocks across the top band, bit 39 leftmost,
white = 1 (layout shared with native/simulator/timestamp-code.ts). Writes through ctypes because
Debian's PyGObject has no writable buffer mapping (no gst-python overrides)."""
import ctypes
import time

import gi

gi.require_version('Gst', '1.0')
from gi.repository import Gst  # noqa: E402

BITS = 40
_gst = ctypes.CDLL('libgstreamer-1.0.so.0')
_video = ctypes.CDLL('libgstvideo-1.0.so.0')


class _MapInfo(ctypes.Structure):
    _fields_ = [('memory', ctypes.c_void_p), ('flags', ctypes.c_int), ('data', ctypes.c_void_p),
                ('size', ctypes.c_size_t), ('maxsize', ctypes.c_size_t),
                ('user_data', ctypes.c_void_p * 4), ('_reserved', ctypes.c_void_p * 4)]


class _VideoMeta(ctypes.Structure):
    _fields_ = [('meta_flags', ctypes.c_int), ('meta_info', ctypes.c_void_p), ('buffer', ctypes.c_void_p),
                ('flags', ctypes.c_int), ('format', ctypes.c_int), ('id', ctypes.c_int),
                ('width', ctypes.c_uint), ('height', ctypes.c_uint), ('n_planes', ctypes.c_uint),
                ('offset', ctypes.c_size_t * 4), ('stride', ctypes.c_int * 4)]


_gst.gst_buffer_map.argtypes = [ctypes.c_void_p, ctypes.POINTER(_MapInfo), ctypes.c_int]
_gst.gst_buffer_unmap.argtypes = [ctypes.c_void_p, ctypes.POINTER(_MapInfo)]
_gst.gst_mini_object_is_writable.argtypes = [ctypes.c_void_p]
_gst.gst_buffer_get_meta.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_gst.gst_buffer_get_meta.restype = ctypes.POINTER(_VideoMeta)
_video.gst_video_meta_api_get_type.restype = ctypes.c_size_t
_MAP_WRITE = 2


def band_height(height: int) -> int:
    return max(8, height // 24)


def _probe_buffer_pointer(info) -> int:
    # GstPadProbeInfo: type (4) + pad (4) + id (8), then data. PyGObject puts the C pointer at +16.
    info_ptr = ctypes.c_void_p.from_address(id(info) + 16).value
    return ctypes.c_void_p.from_address(info_ptr + 16).value


class StampBurner:
    def __init__(self, pad):
        self.width = self.height = 0
        self.failed = False
        pad.add_probe(Gst.PadProbeType.BUFFER, self._probe)

    def _layout(self, pad):
        caps = pad.get_current_caps()
        s = caps.get_structure(0)
        self.width, self.height = s.get_value('width'), s.get_value('height')
        y_stride = (self.width + 3) & ~3
        c_stride = ((self.width + 1) // 2 + 3) & ~3
        u = y_stride * ((self.height + 1) & ~1)
        self.offsets, self.strides = [0, u, u + c_stride * ((self.height + 1) // 2)], [y_stride, c_stride, c_stride]

    def _probe(self, pad, info):
        if self.failed:
            return Gst.PadProbeReturn.OK
        if not self.width:
            self._layout(pad)
        ptr = _probe_buffer_pointer(info)
        if not ptr or not _gst.gst_mini_object_is_writable(ptr):
            return Gst.PadProbeReturn.OK
        meta = _gst.gst_buffer_get_meta(ptr, _video.gst_video_meta_api_get_type())
        offsets, strides = self.offsets, self.strides
        if meta:
            offsets = [meta.contents.offset[i] for i in range(3)]
            strides = [meta.contents.stride[i] for i in range(3)]
        mi = _MapInfo()
        if not _gst.gst_buffer_map(ptr, ctypes.byref(mi), _MAP_WRITE):
            self.failed = True
            return Gst.PadProbeReturn.OK
        try:
            self._burn(mi.data, offsets, strides, int(time.time() * 1000))
        finally:
            _gst.gst_buffer_unmap(ptr, ctypes.byref(mi))
        return Gst.PadProbeReturn.OK

    def _burn(self, base: int, offsets, strides, now_ms: int):
        bw = self.width // BITS
        bh = band_height(self.height)
        value = now_ms & ((1 << BITS) - 1)
        row = bytearray()
        for i in range(BITS):
            row += (b'\xeb' if (value >> (BITS - 1 - i)) & 1 else b'\x10') * bw
        row = bytes(row)
        grey = b'\x80' * ((bw * BITS + 1) // 2)
        for y in range(min(bh, self.height)):
            ctypes.memmove(base + offsets[0] + y * strides[0], row, len(row))
        for y in range(min((bh + 1) // 2, (self.height + 1) // 2)):
            for plane in (1, 2):
                ctypes.memmove(base + offsets[plane] + y * strides[plane], grey, len(grey))
