#!/usr/bin/python3
"""Kuzet training footage feeder (issue 11 §2, docs/training.md): a training session's recorded cameras served as
live RTSP streams on 127.0.0.1, paced in real time on the scenario's clock.
usage: /usr/bin/python3 feeder.py --from-ms EPOCH_MS --started-at EPOCH_MS [--rtsp-port 0]
A camera's stream at rtsp://127.0.0.1:<port>/<cameraId> plays the camera's recorded segments on the scenario's clock
(schedule.py): a unit recorded at R is served at `started-at + (R - from-ms)`, never earlier; a client that connects
starts at the first key frame due then. A gap in the recording is a gap in the stream (an outage), footage not recorded
yet is waited for. Each fragmented MP4 segment is demuxed (pushfilesrc ! qtdemux ! h264parse, or h265parse for an
H.265 recording) and its access units pushed at their moments through appsrc -> rtph264pay / rtph265pay (no
re-encoding; the codec is read from the camera's first segments when it is mounted, and answered). RTCP sender reports carry the wall
clock (rtpbin's default NTP time source), so a receiver sees the pictures captured now, as from a live camera.
Commands on stdin, one JSON object a line; each answered on stdout with one line:
  {"serve": "<cameraId>", "files": [[path, startMs], ...]}  the camera's segments (sorted by start), mounted;
                                                            answered with "codec": "h264" | "h265" | null
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

from schedule import Pacer, after, pick, stamp_ns  # noqa: E402  (native/feeder/schedule.py: the pure schedule)

POLL_S = 0.25  # how often a stream waiting for footage (a gap, the present) looks at the camera's segment list again
# the served stream: access units pushed by Player (one per need-data) at their moment on the scenario clock;
# pt 96 and one payloader named pay0, as the simulator's cameras. The codec is the recording's (H.264 or H.265, read
# from the first segment's sample description), never re-encoded.
CODECS = {'h264': ('video/x-h264', 'rtph264pay', 'h264parse'), 'h265': ('video/x-h265', 'rtph265pay', 'h265parse')}


COPY_ALL_BUT_TIME = Gst.BufferCopyFlags.FLAGS | Gst.BufferCopyFlags.META | Gst.BufferCopyFlags.MEMORY


def launch(codec: str) -> str:
    caps, pay, _ = CODECS[codec]
    return (f'( appsrc name=src format=time is-live=false max-buffers=3 '
            f'caps="{caps},stream-format=byte-stream,alignment=au" ! {pay} name=pay0 pt=96 config-interval=0 )')


# one segment read as fast as the player asks: push-mode qtdemux (pushfilesrc), which reads fragmented MP4 (the
# pull-mode demuxer of filesrc / splitmuxsrc sees only the empty moov); parameter sets in-band before every key frame
def reader(codec: str) -> str:
    caps, _, parse = CODECS[codec]
    return (f'pushfilesrc name=file ! qtdemux ! {parse} config-interval=-1 ! '
            f'{caps},stream-format=byte-stream,alignment=au ! appsink name=sink sync=false max-buffers=25')


def codec_of(path: str):
    """'h264' or 'h265' from a recorded segment's decoder configuration box (avcC / hvcC in the moov's sample
    description, within its first megabyte); None when the file cannot be read or holds neither."""
    try:
        with open(path, 'rb') as f:
            head = f.read(1 << 20)
    except OSError:
        return None
    return 'h265' if b'hvcC' in head else 'h264' if b'avcC' in head else None


def now_ms() -> float:
    return time.time() * 1000


class Player:
    """Feeds one served stream on the scenario's clock (schedule.py): the camera's segments from the one holding the
    scenario time at connection, each unit pushed when the scenario reaches its recording time and stamped with the
    media's running time at that moment (schedule.stamp_ns). A gap in the recording is a gap in the
    stream; footage not in the list yet (recorded since, or still being recorded) is waited for, the list looked at
    again every POLL_S as the host re-sends it; no end of stream while the session serves the camera."""

    def __init__(self, files, target_ms: float, pacer: Pacer, element, codec: str):
        self.files = files  # () -> the camera's current segment list [(path, startMs)]
        self.codec = codec  # the served stream's codec: a segment in another codec is skipped (said on stderr)
        self.target_ms = target_ms  # the scenario time at connection
        self.pacer = pacer
        self.cursor = None  # start of the segment being read
        self.src = element.get_by_name('src')
        self.reader = None
        self.sink = None
        self.seg_start = 0  # the current segment's start (epoch ms)
        self.first = None  # first timestamp of the current segment
        self.last_dts = None  # the last unit's decoding time stamp (ns): they only go forward
        self.closed = False
        self.src.connect('need-data', self._need_data)

    def _open_next(self) -> bool:
        """Opens the next segment to play, waiting for it while there is none yet; False once closed."""
        self._close_reader()
        while not self.closed:
            files = self.files()
            nxt = pick(files, self.target_ms) if self.cursor is None else after(files, self.cursor)
            if nxt:
                path, self.seg_start = nxt[0][0], int(nxt[0][1])
                self.cursor = self.seg_start
                found = codec_of(path)
                if found != self.codec:
                    print(f'feeder: {path} is {found or "unreadable"}, the stream is {self.codec}: skipped', file=sys.stderr, flush=True)
                    continue
                self.reader = Gst.parse_launch(reader(self.codec))
                self.reader.get_by_name('file').set_property('location', path)
                self.sink = self.reader.get_by_name('sink')
                self.first = None
                self.reader.set_state(Gst.State.PLAYING)
                return True
            time.sleep(POLL_S)
        return False

    def _close_reader(self):
        if self.reader is not None:
            self.reader.set_state(Gst.State.NULL)
            self.reader = self.sink = None

    def close(self):
        self.closed = True
        self._close_reader()

    def _running_ns(self):
        """The media's running time now (ns), or None while it is not playing (prerolling for its first client)."""
        clock = self.src.get_clock()
        if clock is None or self.src.get_state(0)[1] != Gst.State.PLAYING:
            return None
        return clock.get_time() - self.src.get_base_time()

    def _need_data(self, _src, _length):
        while not self.closed:
            if self.reader is None and not self._open_next():
                return
            sample = self.sink.emit('try-pull-sample', 5 * Gst.SECOND)
            if sample is None:  # the segment's end (or an unreadable one: skipped)
                self._close_reader()
                continue
            buf = sample.get_buffer()
            if self.first is None:
                self.first = buf.pts
            rel_ns = buf.pts - self.first
            release_at = self.pacer.unit(self.seg_start + rel_ns / Gst.MSECOND, not buf.has_flags(Gst.BufferFlags.DELTA_UNIT), now_ms())
            if release_at is None:
                continue
            while not self.closed and now_ms() < release_at:  # each unit waits for its moment (through a gap: an outage)
                time.sleep(min(POLL_S, (release_at - now_ms()) / 1000))
            # B-frames: decoded before they are shown, by the recording's own offset
            shift = max(0, buf.pts - buf.dts) if buf.dts != Gst.CLOCK_TIME_NONE else 0
            # a new buffer on the same memory (Gst.Buffer.copy() in Python is the same buffer: the reader's time
            # stamps were overwritten, and the recording's own DTS went out)
            out = buf.copy_region(COPY_ALL_BUT_TIME, 0, buf.get_size())
            behind_ns = int((now_ms() - release_at) * Gst.MSECOND) + shift  # since its decoding moment
            out.dts = self.last_dts = stamp_ns(self._running_ns(), behind_ns, self.last_dts)
            out.pts = out.dts + shift
            self.src.emit('push-buffer', out)
            return


class Feeder:
    def __init__(self, port: int, from_ms: int, started_at: int):
        self.from_ms, self.started_at = from_ms, started_at
        self.cameras = {}  # cameraId -> files
        self.codecs = {}  # cameraId -> 'h264' | 'h265', from its first segments when it was mounted
        self.medias = {}  # cameraId -> [media]
        self.server = GstRtspServer.RTSPServer()
        self.server.set_address('127.0.0.1')
        self.server.set_service(str(port))
        self.mounts = self.server.get_mount_points()
        if self.server.attach(None) == 0:
            raise SystemExit(f'feeder: cannot listen on 127.0.0.1:{port}')
        self.port = self.server.get_bound_port()

    def scenario_ms(self) -> int:
        return self.from_ms + now_ms() - self.started_at

    def serve(self, cam_id: str, files):
        """Mounts the camera (once) with its segment list; returns the codec it is served in (None: not known yet)."""
        self.cameras[cam_id] = [(str(p), int(s)) for p, s in files]
        first = None if cam_id in self.codecs else next((c for c in (codec_of(p) for p, _ in self.cameras[cam_id][:3]) if c), None)
        if cam_id in self.medias:
            if first and first != 'h264':  # mounted before any footage (as H.264): mounted again in the footage's codec
                self.codecs[cam_id] = first
                self.stop(cam_id)
            else:
                if first:
                    self.codecs[cam_id] = first
                return self.codecs.get(cam_id)  # already mounted: new clients get the new list
        if first:
            self.codecs[cam_id] = first
        self.medias[cam_id] = []
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(launch(self.codecs.get(cam_id, 'h264')))
        factory.set_shared(True)
        factory.connect('media-configure', self._configure, cam_id)
        self.mounts.add_factory(f'/{cam_id}', factory)
        return self.codecs.get(cam_id)

    def _configure(self, _factory, media, cam_id):
        player = Player(lambda: self.cameras.get(cam_id, []), self.scenario_ms(), Pacer(self.from_ms, self.started_at),
                        media.get_element(), self.codecs.get(cam_id, 'h264'))
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
                files = sorted(files, key=lambda f: int(f[1]))
                codec = self.serve(str(msg['serve']), files)
                return {'ok': True, 'serve': msg['serve'], 'files': len(files), 'codec': codec}
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
