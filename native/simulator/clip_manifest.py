"""Writes / checks the clip manifests for make_clips.sh: resources/clips/manifest.json (the H.264 clips) and
manifest-h265.json (H.265 clips transcoded from some scenes' H.264 clips; its own generator number, so adding them
never regenerates the H.264 clips).
usage: clip_manifest.py check <dir> <generator> [h265]
       clip_manifest.py write <dir> <generator> <multislice-scene> <scene>...
       clip_manifest.py write-h265 <dir> <generator> <scene>...
"""
import json
import os
import sys

from h264_clip import Clip

SIZES = {'1080p': (1920, 1080), '720p': (1280, 720), '480p': (848, 480), '360p': (640, 360)}
MANIFESTS = {'h264': 'manifest.json', 'h265': 'manifest-h265.json'}


def check(out: str, generator: int, codec: str = 'h264') -> bool:
    try:
        with open(os.path.join(out, MANIFESTS[codec])) as f:
            m = json.load(f)
        if m.get('generator') != generator:
            return False
        for scene in m['scenes']:
            for info in scene['streams'].values():
                if os.path.getsize(os.path.join(out, info['file'])) != info['bytes']:
                    return False
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def write(out: str, generator: int, multislice: str, scenes: list, codec: str = 'h264') -> None:
    result = []
    for name in scenes:
        streams = {}
        for size, (w, h) in SIZES.items():
            file = f'{name}-{size}.{codec}'
            path = os.path.join(out, file)
            if not os.path.exists(path):
                continue
            clip = Clip(path, codec)
            streams[size] = {
                'file': file, 'width': w, 'height': h, 'frames': len(clip),
                'keyframes': sum(1 for _, k in clip.units if k), 'bytes': os.path.getsize(path),
                'slicesPerFrame': 4 if name == multislice else 1,
            }
        if '720p' not in streams or '360p' not in streams:
            raise SystemExit(f'clip_manifest: scene {name} is missing 720p or 360p')
        result.append({'name': name, 'streams': streams})
    # gop: frames between key frames on the main streams; subGop: on the 360p sub-streams (every 12.5 frames on average)
    manifest = {'version': 1, 'generator': generator, 'fps': 25, 'gop': 25, 'subGop': 12.5, 'codec': codec,
                'profile': 'high' if codec == 'h264' else 'main', 'format': 'annexb', 'scenes': result}
    name = MANIFESTS[codec]
    with open(os.path.join(out, name + '.tmp'), 'w') as f:
        json.dump(manifest, f, indent=2)
    os.replace(os.path.join(out, name + '.tmp'), os.path.join(out, name))


if __name__ == '__main__':
    cmd, out, gen = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if cmd == 'check':
        sys.exit(0 if check(out, gen, sys.argv[4] if len(sys.argv) > 4 else 'h264') else 1)
    if cmd == 'write-h265':
        write(out, gen, '', sys.argv[4:], 'h265')
    else:
        write(out, gen, sys.argv[4], sys.argv[5:])
