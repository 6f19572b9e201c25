#!/usr/bin/python3
"""Kuzet training footage feeder (issue 11 §2, docs/training.md): a training session's recorded cameras served as
live RTSP streams on 127.0.0.1, paced in real time on the scenario's clock.
usage: /usr/bin/python3 feeder.py --from-ms EPOCH_MS --started-at EPOCH_MS [--rtsp-port 0]
A camera's stream at rtsp://127.0.0.1:<port>/<cameraId> plays, from the moment a client connects, the recorded
segment holding the scenario time `from-ms + (now - started-at)` (from its first key frame at or after that time) and
the ones after it: each fragmented MP4 segment demuxed (pushfilesrc ! qtdemux ! h264parse), its access units retimed
onto one continuous timeline and pushed through appsrc -> clocksync -> rtph264pay (no re-encoding). RTCP sender reports carry the wall clock
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

FRAME_NS = Gst.SECOND // 25  # a unit without a duration
WAIT_MORE_S = 15  # longer than the host's segment-list refresh (footage-feeder.ts)
# the served stream: access units pushed by Player (one per need-data), paced by clocksync on their timestamps;
# pt 96 and one payloader named pay0, as the simulator's cameras
LAUNCH = ('( appsrc name=src format=time is-live=false max-buffers=3 '
          'caps="video/x-h264,stream-format=byte-stream,alignment=au" ! clocksync ! '
          'rtph264pay name=pay0 pt=96 config-interval=0 )')
# one segment read as fast as the player asks: push-mode qtdemux (pushfilesrc), which reads fragmented MP4 (the
# pull-mode demuxer of filesrc / splitmuxsrc sees only the empty moov); SPS/PPS in-band before every key frame
READER = ('pushfilesrc name=file ! qtdemux ! h264parse config-interval=-1 ! '
          'video/x-h264,stream-format=byte-stream,alignment=au ! appsink name=sink sync=false max-buffers=25')


def pick(files, target_ms):
    """The segments from the one holding target_ms on (in a gap: from the next one), as [(path, startMs)];
    [] when the footage ended more than 10 s before target_ms."""
    start = 0
    for i, (_path, start_ms) in enumerate(files):
        if start_ms <= target_ms:
            start = i
    return files[start:] if files and files[-1][1] + 10_000 > target_ms else []


class Player:
    """Feeds one served stream: the chosen segments one after another, from the first key frame at or after the
    scenario time, timestamps continuous from 0 (a gap between segments is not waited out)."""

    def __init__(self, files, target_ms: int, element, more=lambda: []):
        self.files = list(files)
        self.more = more  # the camera's current segment list: segments recorded since are played on
        self.last_start = self.files[-1][1] if self.files else None
        self.skip_ns = max(0, target_ms - self.files[0][1]) * Gst.MSECOND if self.files else 0
        self.src = element.get_by_name('src')
        self.reader = None
        self.sink = None
        self.first = None  # first timestamp of the current segment
        self.base = 0  # output time of the current segment's first timestamp
        self.end = 0  # output time just after the last unit pushed
        self.closed = False
        self.src.connect('need-data', self._need_data)

    def _open_next(self) -> bool:
        self._close_reader()
        # at the end of the list, footage still being recorded: wait for its next segment (the host re-sends the lists
        # every 10 s), as a live camera keeps its connection; then the end of the footage
        deadline = time.monotonic() + WAIT_MORE_S
        while not self.files and self.last_start is not None and not self.closed:
            self.files = [f for f in self.more() if f[1] > self.last_start]
            if self.files:
                self.last_start = self.files[-1][1]
            elif time.monotonic() > deadline:
                break
            else:
                time.sleep(0.25)
        if not self.files or self.closed:
            self.src.emit('end-of-stream')
            return False
        path, _start = self.files.pop(0)
        self.reader = Gst.parse_launch(READER)
        self.reader.get_by_name('file').set_property('location', path)
        self.sink = self.reader.get_by_name('sink')
        self.first = None
        self.base = self.end
        self.reader.set_state(Gst.State.PLAYING)
        return True

    def _close_reader(self):
        if self.reader is not None:
            self.reader.set_state(Gst.State.NULL)
            self.reader = self.sink = None

    def close(self):
        self.closed = True
        self._close_reader()

    def _need_data(self, _src, _length):
        while not self.closed:
            if self.reader is None and not self._open_next():
                return
            sample = self.sink.emit('try-pull-sample', 5 * Gst.SECOND)
            if sample is None:  # the segment's end (or an unreadable one: skipped)
                self.skip_ns = 0
                self._close_reader()
                continue
            buf = sample.get_buffer()
            if self.first is None:
                self.first = buf.pts
            rel = buf.pts - self.first
            if self.skip_ns:
                if rel < self.skip_ns or buf.has_flags(Gst.BufferFlags.DELTA_UNIT):
                    continue
                self.skip_ns = 0
                self.base -= rel  # the first unit served is at output time 0
            out = buf.copy()
            out.pts = self.base + rel
            out.dts = self.base + (buf.dts - self.first) if buf.dts != Gst.CLOCK_TIME_NONE else out.pts
            self.end = out.pts + (buf.duration if buf.duration != Gst.CLOCK_TIME_NONE else FRAME_NS)
            self.src.emit('push-buffer', out)
            return


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
        target = self.scenario_ms()
        player = Player(pick(self.cameras.get(cam_id, []), target), target, media.get_element(),
                        lambda: self.cameras.get(cam_id, []))
        self.medias.setdefault(cam_id, []).append(media)

        def gone(m):
            player.close()
            if m in self.medias.get(cam_id, []):
                self.medias[cam_id].remove(m)
        media.connect('unprepared', gone)

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
