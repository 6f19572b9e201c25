"""Simulated cameras: their state flags, the clips they play and the demo-city file loader."""
import json
import os
import random
import re
import time

from h264_clip import Clip
from sim_decoded import DecodedClip

CAMERA_ID = re.compile(r'^[a-z0-9][a-z0-9_-]{0,63}$')
PROFILES = ('main', 'sub')
MAIN_SIZES = ('1080p', '720p', '480p')
CODECS = ('h264', 'h265')


class ClipStore:
    """Loads clips lazily from the manifests written by make_clips.sh; clips are shared by cameras."""

    def __init__(self, clips_dir: str):
        path = os.path.join(clips_dir, 'manifest.json')
        try:
            with open(path) as f:
                self.manifest = json.load(f)
        except (OSError, ValueError) as e:
            raise SystemExit(f'simulator: cannot read {path} ({e}); run native/simulator/make_clips.sh')
        self.dir = clips_dir
        self.scenes = {s['name']: s['streams'] for s in self.manifest['scenes']}
        # H.265 clips of some scenes (manifest-h265.json); absent in clip folders made before they existed
        self.by_codec = {'h264': self.scenes, 'h265': {}}
        try:
            with open(os.path.join(clips_dir, 'manifest-h265.json')) as f:
                self.by_codec['h265'] = {s['name']: s['streams'] for s in json.load(f)['scenes']}
        except (OSError, ValueError, KeyError, TypeError):
            pass
        self._cache = {}
        self._scene_of = {}  # id(clip) -> scene it shows

    def has_codec(self, codec: str) -> bool:
        return bool(self.by_codec.get(codec))

    def stream(self, scene: str, size: str, codec: str = 'h264'):
        """(scene actually used, stream info): a size or codec missing for a scene falls back to a scene that has it."""
        scenes = self.by_codec[codec]
        if size in scenes.get(scene, {}):
            return scene, scenes[scene][size]
        for name, streams in scenes.items():
            if size in streams:
                return name, streams[size]
        raise ValueError(f'no {codec} clip has size {size}')

    def clip(self, scene: str, size: str, codec: str = 'h264') -> Clip:
        used, info = self.stream(scene, size, codec)
        if info['file'] not in self._cache:
            clip = Clip(os.path.join(self.dir, info['file']), codec)
            self._cache[info['file']] = clip
            self._scene_of[id(clip)] = used
        return self._cache[info['file']]

    def decoded(self, clip: Clip) -> DecodedClip:
        """The clip's pictures decoded (time-stamp mode), decoded on first use and kept, as the clip is."""
        key = ('decoded', clip.path)
        if key not in self._cache:
            info = next(i for streams in self.by_codec[clip.codec].values() for i in streams.values() if i['file'] == clip.name)
            self._cache[key] = DecodedClip(clip.path, clip.codec, int(info['width']), int(info['height']), len(clip))
        return self._cache[key]

    def scene_of(self, clip: Clip) -> str:
        return self._scene_of.get(id(clip), '')


class Camera:
    """One simulated camera. Flags are written by the control API (main loop) and read by feeders."""

    def __init__(self, cam_id: str, name: str, scene: str, kind: str = 'fixed'):
        self.id, self.name, self.scene, self.kind = cam_id, name, scene, kind
        self.online = True
        self.stalled = False
        self.corrupt_until = 0.0  # time.monotonic() deadline
        self.main_size = '720p'
        self.codec = 'h264'  # both streams; 'h265' plays the scene's H.265 clips (ClipStore.stream)
        self.timestamp = False
        self.truth = False  # print each sent frame's ground truth (sim_media.Feeder._truth)
        self.scene_clock = False  # clip frame = capture time / 40 ms mod the loop (sim_media.Feeder._phase)
        self.rng = random.Random(cam_id)
        self.medias = []  # live GstRtspServer.RTSPMedia objects of this camera's mounts
        self.feeders = set()

    def size(self, profile: str) -> str:
        return self.main_size if profile == 'main' else '360p'

    def corrupting(self) -> bool:
        return time.monotonic() < self.corrupt_until

    def describe(self, store: ClipStore, rtsp_base: str) -> dict:
        streams = {}
        for p in PROFILES:
            scene, info = store.stream(self.scene, self.size(p), self.codec)
            streams[p] = {'url': f'{rtsp_base}/{self.id}/{p}', 'scene': scene, 'file': info['file'], 'codec': self.codec,
                          'width': info['width'], 'height': info['height'],
                          'slicesPerFrame': info['slicesPerFrame']}
        return {'id': self.id, 'name': self.name, 'kind': self.kind, 'scene': self.scene,
                'online': self.online, 'stalled': self.stalled, 'corrupting': self.corrupting(),
                'timestamp': self.timestamp, 'truth': self.truth, 'mainSize': self.main_size, 'codec': self.codec,
                'activeStreams': len(self.feeders), 'streams': streams}


def load_cameras(path: str, store: ClipStore, extra: int, only) -> list:
    """Cameras from a demo-city file plus `extra` generic ones; `only` (list of ids) filters them."""
    cams = []
    if path:
        try:
            with open(path) as f:
                doc = json.load(f)
            entries = doc['cameras']
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise SystemExit(f'simulator: cannot read cameras from {path}: {e}')
        for i, c in enumerate(entries):
            cid, scene = c.get('id'), c.get('scene')
            if not isinstance(cid, str) or not CAMERA_ID.match(cid):
                raise SystemExit(f'simulator: {path}: camera #{i} has an invalid id {cid!r}')
            if scene not in store.scenes:
                raise SystemExit(f'simulator: {path}: camera {cid} has unknown scene {scene!r} '
                                 f'(known: {", ".join(store.scenes)})')
            cams.append(Camera(cid, str(c.get('name', cid)), scene, str(c.get('kind', 'fixed'))))
    names = list(store.scenes)
    for i in range(1, extra + 1):
        cams.append(Camera(f'cam-extra-{i:02d}', f'Extra camera {i:02d}', names[(i - 1) % len(names)]))
    if len({c.id for c in cams}) != len(cams):
        raise SystemExit('simulator: duplicate camera ids')
    if only:
        unknown = set(only) - {c.id for c in cams}
        if unknown:
            raise SystemExit(f'simulator: --only names unknown cameras: {", ".join(sorted(unknown))}')
        cams = [c for c in cams if c.id in only]
    return cams
