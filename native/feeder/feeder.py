#!/usr/bin/python3
"""Kuzet training footage feeder (issue 11 §2, docs/training.md): a training session's recorded cameras served as
live RTSP streams on 127.0.0.1, paced in real time on the scenario's clock.
usage: /usr/bin/python3 feeder.py --from-ms EPOCH_MS --started-at EPOCH_MS [--rtsp-port 0]
A camera's stream at rtsp://127.0.0.1:<port>/<cameraId> plays, from the moment a client connects, the recorded
segment holding the scenario time `from-ms + (now - started-at)` and the ones after it: splitmuxsrc over the fragmented
MP4 files -> h264parse -> clocksync -> rtph264pay (no re-encoding). RTCP sender reports carry the wall clock
(rtpbin's default NTP time source), so a receiver sees the pictures captured now, as from a live camera.
Commands on stdin, one JSON object a line; each answered on stdout with one line:
  {"serve": "<cameraId>", "files": [[path, startMs], ...]}  the camera's segments (sorted by start), mounted
  {"stop": "<cameraId>"}                                    unmounted, its clients disconnected (a camera failure)
Prints {"ready": true, "rtspPort": N} first. Exits when stdin closes, on SIGTERM, or when its parent dies."""
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
    raise SystemExit('feeder: needs python3-gi and GStreamer RTSP server (run with /usr/bin/python3)')

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

# config-interval=-1 on the parser: SPS/PPS in-band before every key frame (a client may join at any key frame);
# pt 96 and one payloader named pay0, as the simulator's cameras
LAUNCH = ('( splitmuxsrc name=src ! h264parse config-interval=-1 ! '
          'video/x-h264,stream-format=byte-stream,alignment=au ! clocksync ! rtph264pay name=pay0 pt=96 config-interval=0 )')


def pick(files, target_ms):
    """The segments from the one holding target_ms on (a gap: from the next one); [] when the footage has ended."""
    start = 0
    for i, (_path, start_ms) in enumerate(files):
        if start_ms <= target_ms:
            start = i
    return [path for path, _ in files[start:]] if files and files[-1][1] + 10_000 > target_ms else []


class Feeder:
    def __init__(self, port: int, from_ms: int, started_at: int):
        self.from_ms, self.started_at = from_ms, started_at
        self.cameras = {}  # cameraId -> files
        self.medias = {}  # cameraId -> [media]
        self.server = GstRtspServer.RTSPServer()
        self.server.set_address('127.0.0.1')
        self.server.set_service(str(port))
        self.mounts = self.server.get_mount_points()
        if self.server.attach(None) == 0:
            raise SystemExit(f'feeder: cannot listen on 127.0.0.1:{port}')
        self.port = self.server.get_bound_port()

    def scenario_ms(self) -> int:
        return self.from_ms + int(time.time() * 1000) - self.started_at

    def serve(self, cam_id: str, files):
        self.cameras[cam_id] = [(str(p), int(s)) for p, s in files]
        if cam_id in self.medias:
            return  # already mounted: new clients get the new list
        self.medias[cam_id] = []
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(LAUNCH)
        factory.set_shared(True)
        factory.connect('media-configure', self._configure, cam_id)
        self.mounts.add_factory(f'/{cam_id}', factory)

    def _configure(self, _factory, media, cam_id):
        chosen = pick(self.cameras.get(cam_id, []), self.scenario_ms())
        src = media.get_element().get_by_name('src')
        src.connect('format-location', lambda _el: chosen)
        self.medias.setdefault(cam_id, []).append(media)
        media.connect('unprepared', lambda m: m in self.medias.get(cam_id, []) and self.medias[cam_id].remove(m))

    def stop(self, cam_id: str):
        if cam_id not in self.medias:
            return
        self.mounts.remove_factory(f'/{cam_id}')
        medias = self.medias.pop(cam_id)
        pool = self.server.get_session_pool()
        for client in self.server.client_filter(None):
            hit = False
            for session in client.session_filter(None):
                if any(sm.get_media() in medias for sm in session.filter(None)):
                    hit = True
                    pool.remove(session)
            if hit:
                client.close()

    def command(self, line: str) -> dict:
        try:
            msg = json.loads(line)
            if not isinstance(msg, dict):
                raise ValueError('a command is a JSON object')
            if 'serve' in msg:
                files = msg.get('files')
                if not isinstance(files, list) or not all(isinstance(f, list) and len(f) == 2 for f in files):
                    raise ValueError('files must be [[path, startMs], ...]')
                self.serve(str(msg['serve']), files)
                return {'ok': True, 'serve': msg['serve'], 'files': len(files)}
            if 'stop' in msg:
                self.stop(str(msg['stop']))
                return {'ok': True, 'stop': msg['stop']}
            raise ValueError('unknown command (serve, stop)')
        except (ValueError, TypeError) as e:
            return {'ok': False, 'error': str(e)}


def main():
    ap = argparse.ArgumentParser(description='Kuzet training footage feeder')
    ap.add_argument('--rtsp-port', type=int, default=0)
    ap.add_argument('--from-ms', type=int, required=True, help='the scenario footage start (epoch ms)')
    ap.add_argument('--started-at', type=int, required=True, help='the session start (epoch ms): offset 0')
    args = ap.parse_args()
    Gst.init(None)
    feeder = Feeder(args.rtsp_port, args.from_ms, args.started_at)
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)

    def on_stdin(channel, condition):
        if condition & (GLib.IO_HUP | GLib.IO_ERR):
            loop.quit()
            return False
        line = channel.readline()
        if not line:
            loop.quit()
            return False
        if line.strip():
            print(json.dumps(feeder.command(line)), flush=True)
        return True

    channel = GLib.IOChannel.unix_new(sys.stdin.fileno())
    GLib.io_add_watch(channel, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, on_stdin)
    print(json.dumps({'ready': True, 'rtspPort': feeder.port}), flush=True)
    loop.run()


if __name__ == '__main__':
    main()
