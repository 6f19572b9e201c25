"""Decoded pictures of a clip, for time-stamp mode: the clip is decoded once into a cache file (I420, planes without
padding) and mapped, so a stamped camera burns its stamp into a picture and encodes it without decoding the clip again
on every loop. The simulator stands in for cameras, which encode on their own hardware, yet runs on the machine whose
latency the benchmarks measure: two stamped 720p cameras took 49 % of a core, 39-44 % with their pictures decoded once
(and 29 % once encoded at the clips' bit rate, sim_media.py) (2026-12-07, docs/performance.md)."""
import mmap
import os

import gi

gi.require_version('Gst', '1.0')
from gi.repository import Gst  # noqa: E402


def cache_dir() -> str:
    return os.path.join(os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'kuzet', 'decoded-clips')


def i420_bytes(width: int, height: int) -> int:
    return width * height + 2 * ((width + 1) // 2) * ((height + 1) // 2)


def _decode(src: str, dst: str, codec: str, width: int, height: int) -> None:
    """Decodes `src` (Annex-B) into `dst`, written under a temporary name and renamed: a reader never sees half a file."""
    tmp = f'{dst}.{os.getpid()}.tmp'
    pipe = Gst.parse_launch(
        f'filesrc name=file ! {codec}parse ! avdec_{codec} direct-rendering=false ! videoconvert ! '
        f'video/x-raw,format=I420,width={width},height={height} ! filesink name=out sync=false')
    pipe.get_by_name('file').set_property('location', src)
    pipe.get_by_name('out').set_property('location', tmp)
    try:
        pipe.set_state(Gst.State.PLAYING)
        msg = pipe.get_bus().timed_pop_filtered(120 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg is None or msg.type != Gst.MessageType.EOS:
            detail = msg.parse_error()[0].message if msg is not None else 'timed out'
            raise RuntimeError(f'cannot decode {src}: {detail}')
    finally:
        pipe.set_state(Gst.State.NULL)
    os.replace(tmp, dst)


class DecodedClip:
    """A clip's pictures, `frame(i)` the i-th as bytes (I420 of width x height), from the mapped cache file."""

    def __init__(self, path: str, codec: str, width: int, height: int, frames: int):
        self.width, self.height = width, height
        self.caps = Gst.Caps.from_string(f'video/x-raw,format=I420,width={width},height={height},framerate=25/1')
        self.size = i420_bytes(width, height)
        st = os.stat(path)
        os.makedirs(cache_dir(), exist_ok=True)
        # named by the clip's name, size and time: a clip made again is decoded again
        cached = os.path.join(cache_dir(), f'{os.path.basename(path)}-{st.st_size}-{st.st_mtime_ns}.i420')
        if not os.path.exists(cached) or os.path.getsize(cached) != self.size * frames:
            _decode(path, cached, codec, width, height)
            for old in os.listdir(cache_dir()):  # the same clip's pictures from before it was made again
                if old.startswith(f'{os.path.basename(path)}-') and old.endswith('.i420') and os.path.join(cache_dir(), old) != cached:
                    try:
                        os.remove(os.path.join(cache_dir(), old))
                    except OSError:
                        pass
        with open(cached, 'rb') as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if len(self.map) != self.size * frames:
            raise RuntimeError(f'{cached}: {len(self.map)} bytes, expected {frames} pictures of {width}x{height}')
        self.frames = frames

    def frame(self, index: int) -> bytes:
        return self.map[index * self.size:(index + 1) * self.size]
