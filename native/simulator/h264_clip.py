"""Annex-B clip loading: splits a raw .h264 or .h265 file into access units (one per frame)."""
import os
import random
import re

_START = re.compile(rb'\x00\x00\x01')


# NAL unit types per codec: the access unit delimiter the encoders write before every frame (x264 aud=1,
# x265 aud=1), key pictures (H.264 IDR; H.265 IRAP: BLA, IDR, CRA) and coded slices.
NAL = {
    'h264': {'aud': 9, 'key': frozenset({5}), 'slice': frozenset({1, 5})},
    'h265': {'aud': 35, 'key': frozenset(range(16, 22)), 'slice': frozenset(range(0, 32))},
}


def nal_type(first_byte: int, codec: str) -> int:
    return first_byte & 0x1F if codec == 'h264' else (first_byte >> 1) & 0x3F


def nal_units(data: bytes, codec: str = 'h264'):
    """Yields (start, end, nal_type) for every NAL unit; start is the first byte after the start code."""
    starts = [m.end() for m in _START.finditer(data)]
    for i, s in enumerate(starts):
        end = starts[i + 1] - 3 if i + 1 < len(starts) else len(data)
        if i + 1 < len(starts) and end > s and data[end - 1] == 0:
            end -= 1  # 4-byte start code of the next unit
        if s < len(data):
            yield s, end, nal_type(data[s], codec)


class Clip:
    """A clip held in memory as access units. Every unit is (bytes, is_keyframe)."""

    def __init__(self, path: str, codec: str = 'h264'):
        if codec not in NAL:
            raise ValueError(f'{path}: unknown codec {codec!r}')
        kinds = NAL[codec]
        with open(path, 'rb') as f:
            data = f.read()
        self.path = path
        self.codec = codec
        self.name = os.path.basename(path)
        self.units = []
        self.slices = []  # per unit: list of (start, end) of slice NAL payloads, relative to the unit
        cur_start = None
        cur_key = False
        cur_slices = []
        for s, e, t in nal_units(data, codec):
            hdr = s - 4 if s >= 4 and data[s - 4] == 0 else s - 3
            if t == kinds['aud']:
                if cur_start is not None:
                    self._add(data[cur_start:hdr], cur_key, cur_slices, cur_start)
                cur_start, cur_key, cur_slices = hdr, False, []
            elif cur_start is None:
                cur_start = hdr
            if t in kinds['key']:
                cur_key = True
            if t in kinds['slice']:
                cur_slices.append((s, e))
        if cur_start is not None:
            self._add(data[cur_start:], cur_key, cur_slices, cur_start)
        if not self.units or not self.units[0][1]:
            raise ValueError(f'{path}: no access units or does not start with a keyframe (encode with aud=1)')

    def _add(self, unit: bytes, key: bool, slices, base: int):
        self.units.append((unit, key))
        self.slices.append([(s - base, e - base) for s, e in slices])

    def __len__(self):
        return len(self.units)

    def corrupted(self, index: int, flips: int, rng: random.Random) -> bytes:
        """A copy of unit `index` with `flips` bytes of slice data damaged (never creating start codes)."""
        unit = bytearray(self.units[index][0])
        spans = [(s + 8, e) for s, e in self.slices[index] if e - s > 16]  # keep slice headers parseable
        if not spans:
            return bytes(unit)
        for _ in range(flips):
            s, e = rng.choice(spans)
            i = rng.randrange(s, e)
            v = unit[i] ^ (1 << rng.randrange(8))
            if v > 3:  # 0..3 could form an emulated start code
                unit[i] = v
        return bytes(unit)
