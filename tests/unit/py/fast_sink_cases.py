"""Cases for native/worker/fast_sink.py, run by tests/unit/fast-sink.test.ts with /usr/bin/python3.
Pushes known buffers through a real `appsrc ! appsink` and prints one JSON object: what FastSink read back and
what PyGObject reads from the same kind of buffers."""
import json
import os
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
from gi.repository import Gst, GstApp  # noqa: E402,F401

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'native', 'worker'))
from fast_sink import open_fast_sink  # noqa: E402

Gst.init(None)
NTP = Gst.Caps.from_string("timestamp/x-ntp")


def unit(data, pts=None, delta=False, ntp=None):
    b = Gst.Buffer.new_wrapped(data)
    if pts is not None:
        b.pts = pts
    if delta:
        b.set_flags(Gst.BufferFlags.DELTA_UNIT)
    if ntp is not None:
        b.add_reference_timestamp_meta(NTP, ntp, Gst.CLOCK_TIME_NONE)
    return b


def run():
    p = Gst.parse_launch("appsrc name=src format=time ! appsink name=sink sync=false enable-last-sample=false max-buffers=0")
    src, sink = p.get_by_name("src"), p.get_by_name("sink")
    fast = open_fast_sink(sink)
    if fast is None:
        return {"fast": False}
    src.set_property("caps", Gst.Caps.from_string("video/x-h264,stream-format=byte-stream,alignment=au,width=640,height=360"))
    p.set_state(Gst.State.PLAYING)
    big = b"\x00\x00\x00\x01\x65" + bytes(range(256)) * 400  # larger than the first reuse buffer (64 KiB)
    src.emit("push-buffer", unit(b"\x00\x00\x00\x01\x67key", pts=40_000_000, ntp=3_913_000_000_123_000_000))
    src.emit("push-buffer", unit(b"\x00\x00\x00\x01\x41delta", delta=True))
    src.emit("push-buffer", unit(big, pts=80_000_000, ntp=3_913_000_000_163_000_000))
    src.set_property("caps", Gst.Caps.from_string("video/x-h264,stream-format=byte-stream,alignment=au,width=1280,height=720"))
    src.emit("push-buffer", unit(b"\x00\x00\x00\x01\x65hd", pts=120_000_000, delta=False))
    src.emit("end-of-stream")
    out = []
    while True:
        au = fast.pull()
        if au is None:
            break
        data, pts, ntp, key, w, h = au
        out.append({"data": bytes(data[:12]).hex(), "len": len(data), "same": bytes(data) == big if len(data) == len(big) else None,
                    "pts": pts if pts != Gst.CLOCK_TIME_NONE else None, "ntp": ntp, "key": key, "width": w, "height": h})
    p.set_state(Gst.State.NULL)
    return {"fast": True, "units": out}


print(json.dumps(run()))
