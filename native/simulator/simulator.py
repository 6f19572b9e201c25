#!/usr/bin/python3
"""Kuzet camera simulator: RTSP cameras from pre-encoded clips, with a loopback control API.
usage: /usr/bin/python3 simulator.py [--rtsp-port 8554] [--control-port 8555] [--cameras FILE]
       [--extra N] [--clips DIR] [--only id,id] [--timestamp-all] [--scene-clock] [--klv]
Prints {"ready":true,"rtspPort":..,"controlPort":..} on stdout once both ports listen (with --klv also
"klv": {"camera", "unitId", "url"}: the KLV drone's MPEG-TS over TCP, sim_klv.py)."""
import argparse
import ctypes
import json
import os
import signal
import sys
import time

ctypes.CDLL('libc.so.6').prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the parent

try:
    import gi
except ImportError:  # a Python without python3-gi (pyenv): re-run under Debian's, which has it
    if sys.executable != '/usr/bin/python3' and os.path.exists('/usr/bin/python3'):
        os.execv('/usr/bin/python3', ['/usr/bin/python3', *sys.argv])
    raise SystemExit('simulator: needs python3-gi and GStreamer RTSP server (run with /usr/bin/python3)')

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sim_camera import CODECS, MAIN_SIZES, PROFILES, ClipStore, load_cameras  # noqa: E402
from sim_control import ControlError, serve_control  # noqa: E402
from sim_media import Feeder, launch_line  # noqa: E402
from sim_klv import KlvDrone, load_route  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


class Simulator:
    def __init__(self, cameras, store: ClipStore, rtsp_port: int):
        self.cameras = {c.id: c for c in cameras}
        self.store = store
        self.server = GstRtspServer.RTSPServer()
        self.server.set_address('127.0.0.1')
        self.server.set_service(str(rtsp_port))
        self.mounts = self.server.get_mount_points()
        for cam in cameras:
            self._mount(cam)
        if self.server.attach(None) == 0:
            raise SystemExit(f'simulator: cannot listen on 127.0.0.1:{rtsp_port}')
        self.rtsp_port = self.server.get_bound_port()
        self.rtsp_base = f'rtsp://127.0.0.1:{self.rtsp_port}'

    def _mount(self, cam):
        for profile in PROFILES:
            factory = GstRtspServer.RTSPMediaFactory()
            factory.set_launch(launch_line(cam.timestamp, cam.size(profile), cam.codec))
            factory.set_shared(True)
            factory.connect('media-configure', self._configure, cam, profile)
            self.mounts.add_factory(f'/{cam.id}/{profile}', factory)

    def _unmount(self, cam):
        for profile in PROFILES:
            self.mounts.remove_factory(f'/{cam.id}/{profile}')

    def _configure(self, _factory, media, cam, profile):
        feeder = Feeder(cam, profile, self.store, media.get_element())
        cam.medias.append(media)
        cam.feeders.add(feeder)

        def gone(m):
            cam.feeders.discard(feeder)
            if m in cam.medias:
                cam.medias.remove(m)
        media.connect('unprepared', gone)

    def _drop_sessions(self, cam):
        """Tears down every session on this camera's media and closes those clients' connections."""
        pool = self.server.get_session_pool()
        for client in self.server.client_filter(None):
            hit = False
            for session in client.session_filter(None):
                if any(sm.get_media() in cam.medias for sm in session.filter(None)):
                    hit = True
                    pool.remove(session)
            if hit:
                client.close()

    def describe(self):
        return [c.describe(self.store, self.rtsp_base) for c in self.cameras.values()]

    def control(self, cam_id: str, action: str, query: dict):
        cam = self.cameras.get(cam_id)
        if cam is None:
            raise ControlError(404, f'unknown camera {cam_id!r}')
        if action == 'stop':
            self._stop(cam)
        elif action == 'start':
            self._start(cam)
        elif action == 'restart':
            self._stop(cam)
            self._start(cam)
        elif action == 'stall':
            cam.stalled = True
        elif action == 'unstall':
            cam.stalled = False
            for feeder in list(cam.feeders):
                feeder.resume()
        elif action == 'corrupt':
            seconds = _number(query, 'seconds', 5, 0, 3600)
            cam.corrupt_until = time.monotonic() + seconds
        elif action == 'resolution':
            size = query.get('size', '')
            if size not in MAIN_SIZES:
                raise ControlError(400, f'size must be one of {", ".join(MAIN_SIZES)}, got {size!r}')
            cam.main_size = size
        elif action == 'truth':
            cam.truth = query.get('on', '1') not in ('0', 'false', 'off')
        elif action == 'codec':
            codec = query.get('codec', '')
            if codec not in CODECS:
                raise ControlError(400, f'codec must be one of {", ".join(CODECS)}, got {codec!r}')
            if not self.store.has_codec(codec):
                raise ControlError(400, f'no {codec} clips in {self.store.dir}: run native/simulator/make_clips.sh')
            if codec != 'h264' and cam.timestamp:
                raise ControlError(400, 'time-stamp mode encodes H.264 only: switch it off first')
            if codec != cam.codec:
                cam.codec = codec
                if cam.online:  # other payloader and caps: clients reconnect to the new stream
                    self._stop(cam)
                    self._start(cam)
        elif action == 'timestamp':
            on = query.get('on', '1') not in ('0', 'false', 'off')
            if on and cam.codec != 'h264':
                raise ControlError(400, 'time-stamp mode encodes H.264 only: switch the camera to h264 first')
            if on != cam.timestamp:
                cam.timestamp = on
                if cam.online:  # the pipeline differs: clients reconnect into the new mode
                    self._stop(cam)
                    self._start(cam)
        else:
            raise ControlError(404, f'unknown action {action!r}')
        return cam.describe(self.store, self.rtsp_base)

    def _stop(self, cam):
        if cam.online:
            cam.online = False
            self._unmount(cam)
        self._drop_sessions(cam)

    def _start(self, cam):
        if not cam.online:
            cam.online = True
            self._mount(cam)


def _number(query: dict, key: str, default: float, lo: float, hi: float) -> float:
    raw = query.get(key)
    try:
        value = default if raw is None else float(raw)
    except ValueError:
        raise ControlError(400, f'{key} must be a number, got {raw!r}')
    if not lo <= value <= hi:
        raise ControlError(400, f'{key} must be within {lo}..{hi}')
    return value


def main():
    ap = argparse.ArgumentParser(description='Kuzet RTSP camera simulator')
    ap.add_argument('--rtsp-port', type=int, default=8554)
    ap.add_argument('--control-port', type=int, default=8555)
    ap.add_argument('--cameras', default=os.path.join(ROOT, 'resources', 'demo-city.json'))
    ap.add_argument('--extra', type=int, default=0)
    ap.add_argument('--clips', default=os.path.join(ROOT, 'resources', 'clips'))
    ap.add_argument('--only', default='', help='comma-separated camera ids to serve')
    ap.add_argument('--timestamp-all', action='store_true')
    ap.add_argument('--scene-clock', action='store_true', help='clip frame = capture time / 40 ms mod the loop')
    ap.add_argument('--klv', action='store_true', help='serve the KLV drone of resources/map/klv-drone.json (MPEG-TS over TCP)')
    args = ap.parse_args()
    if args.extra < 0 or args.extra > 500:
        raise SystemExit('simulator: --extra must be within 0..500')

    Gst.init(None)
    # Every pipeline runs on the wall clock (CLOCK_REALTIME): a frame's capture time is then its pipeline's base time
    # plus its pts, exactly, and the RTCP sender reports pair RTP time with the same clock. Reading a monotonic pipeline
    # clock and the wall clock one after the other let a loaded machine (or the GIL) put milliseconds between them,
    # which moved reported capture times off their 40 ms step (a CI run saw 45 ms between two frames).
    Gst.SystemClock.obtain().set_property('clock-type', Gst.ClockType.REALTIME)
    store = ClipStore(args.clips)
    only = [s for s in args.only.split(',') if s]
    cameras = load_cameras(args.cameras if args.cameras != 'none' else '', store, args.extra, only)
    if not cameras:
        raise SystemExit('simulator: no cameras to serve')
    for cam in cameras:
        cam.timestamp = args.timestamp_all
        cam.scene_clock = args.scene_clock
    sim = Simulator(cameras, store, args.rtsp_port)
    try:
        httpd = serve_control(sim, args.control_port)
    except OSError as e:
        raise SystemExit(f'simulator: cannot listen on 127.0.0.1:{args.control_port}: {e}')

    klv = None
    if args.klv:
        route = load_route(os.path.join(ROOT, 'resources', 'map', 'klv-drone.json'))
        cam = sim.cameras.get(route.doc['cameraId'])
        scene = cam.scene if cam else 'highway'
        klv = KlvDrone(Gst, store.clip(scene, '360p'), route, route.doc['cameraId'])

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(json.dumps({'ready': True, 'rtspPort': sim.rtsp_port, 'controlPort': httpd.server_address[1],
                      'cameras': len(cameras), **({'klv': klv.describe()} if klv else {})}), flush=True)
    loop.run()
    if klv:
        klv.stop()
    httpd.shutdown()


if __name__ == '__main__':
    main()
