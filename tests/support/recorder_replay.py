#!/usr/bin/python3
"""Replays recorded time stamps through the media worker's real recording branch (Recorder: queue, splitmuxsink, mp4mux).

usage: recorder_replay.py WORKER_DIR CLIP STAMPS_JSON SEQUENCE OUT_DIR
  WORKER_DIR   the folder of media_worker.py whose Recorder is tested (another checkout's, to run the old code)
  CLIP         an H.264 Annex B clip of the simulator (25 fps, a key frame every 25 frames)
  STAMPS_JSON  {"sequences": {name: [[pts_ms | null, key], ...]}} (tests/fixtures/jitterbuffer-resync-stamps.json)
  SEQUENCE     the name of the sequence to replay
  OUT_DIR      the recordings root; segments go to OUT_DIR/<SEQUENCE>/

The clip's access units get the sequence's time stamps in order (no time stamp where it has null); after the sequence
the units go on 40 ms apart to the clip's end, then EOS. The recorder's reports (JSON lines) go to stderr as in the
worker; stdout gets one line: {"units", "errors": [GStreamer errors of the branch], "eos": bool, "keyMismatch": n}.
"""
import json
import os
import sys

worker_dir, clip, stamps_file, name, out_dir = sys.argv[1:6]
sys.path.insert(0, os.path.abspath(worker_dir))
import media_worker  # noqa: E402  (the Recorder under test; importing it runs nothing but its imports)
from media_worker import Gst, Recorder  # noqa: E402

Gst.init(None)
seq = json.load(open(stamps_file))["sequences"][name]
pipeline = Gst.parse_launch(f'filesrc location="{clip}" ! h264parse name=inparse ! video/x-h264,alignment=au ! tee name=rec')
cam_dir = os.path.join(out_dir, name)
os.makedirs(cam_dir, exist_ok=True)
rec = Recorder(pipeline, {"dir": cam_dir, "segmentMs": 4000})
state = {"i": 0, "last": None, "mismatch": 0}


def stamp(_pad, info):
    buf = info.get_buffer()
    i = state["i"]
    state["i"] += 1
    key = not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)
    if i < len(seq):
        pts, want_key = seq[i]
        if key != want_key:
            state["mismatch"] += 1
    else:
        pts = state["last"] + 40.0
    if pts is not None:
        state["last"] = pts
    buf.pts = Gst.CLOCK_TIME_NONE if pts is None else int(pts * 1e6)
    buf.dts = Gst.CLOCK_TIME_NONE  # as out of rtph264depay and h264parse here: PTS only
    buf.duration = Gst.CLOCK_TIME_NONE
    return Gst.PadProbeReturn.OK


pipeline.get_by_name("inparse").get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER, stamp)
bus = pipeline.get_bus()
bus.set_sync_handler(rec.sync_handler)
errors = []
eos = False
pipeline.set_state(Gst.State.PLAYING)
mask = Gst.MessageType.ERROR | Gst.MessageType.EOS | Gst.MessageType.ELEMENT
while True:
    msg = bus.timed_pop_filtered(30 * Gst.SECOND, mask)
    if msg is None:
        break
    if msg.type == Gst.MessageType.ELEMENT and msg.get_structure() is not None:
        rec.on_element(msg.get_structure())
    elif msg.type == Gst.MessageType.ERROR:
        err, debug = msg.parse_error()
        errors.append(f"{err.message} ({(debug or '').splitlines()[-1] if debug else ''})")
        break
    elif msg.type == Gst.MessageType.EOS:
        eos = True
        break
pipeline.set_state(Gst.State.NULL)
print(json.dumps({"units": state["i"], "errors": errors, "eos": eos, "keyMismatch": state["mismatch"]}), flush=True)
_ = media_worker
