"""The KZF1 frame header, the Python side's one definition (TypeScript's is electron/contract/frames.ts; the test
tests/unit/frame-header.test.ts packs with each and parses with the other, and compares the field tables).

A 48-byte little-endian header in front of every frame a media worker writes: see frames.ts for what each field
means. Run as a script for that test: `frame_header.py fields`, `frame_header.py pack '<json>'` (hex on stdout),
`frame_header.py unpack <hex>` (json on stdout).
"""
import json
import struct
import sys

MAGIC = 0x31465A4B  # 'KZF1' read little-endian
FIELDS = (
    ("magic", "u32"), ("headerBytes", "u16"), ("flags", "u16"), ("width", "u16"), ("height", "u16"), ("seq", "u32"),
    ("ptsMs", "f64"), ("captureMs", "f64"), ("sentMs", "f64"), ("slot", "u16"), ("generation", "u16"),
    ("payloadBytes", "u32"),
)
FLAG_KEYFRAME_ONLY = 1
FLAG_MAIN_STREAM = 2
FLAG_ENCODED = 4
FLAG_KEY = 8

_CODES = {"u16": "H", "u32": "I", "f64": "d"}
HEADER = struct.Struct("<" + "".join(_CODES[kind] for _, kind in FIELDS))
HEADER_BYTES = HEADER.size


def flags_for(keyframe_only, main_stream, encoded=False, key=False):
    return ((FLAG_KEYFRAME_ONLY if keyframe_only else 0) | (FLAG_MAIN_STREAM if main_stream else 0)
            | (FLAG_ENCODED if encoded else 0) | (FLAG_KEY if key else 0))


def i420_size(width, height):
    """Bytes of tightly packed I420 planes (Y, then U and V at half size, rounded up)."""
    return width * height + 2 * ((width + 1) // 2) * ((height + 1) // 2)


def pack(flags, width, height, seq, pts_ms, capture_ms, generation, encoded_bytes=0, sent_ms=0.0, slot=0):
    """A header as a worker writes it (the host patches slot and sentMs); encoded_bytes is 0 for a decoded frame."""
    return HEADER.pack(MAGIC, HEADER_BYTES, flags, width, height, seq & 0xFFFFFFFF, pts_ms, capture_ms, sent_ms, slot,
                       generation & 0xFFFF, encoded_bytes)


def unpack(data):
    return dict(zip((name for name, _ in FIELDS), HEADER.unpack_from(data)))


def _main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "fields":
        print(json.dumps({"fields": FIELDS, "bytes": HEADER_BYTES, "magic": MAGIC, "flags": {
            "keyframeOnly": FLAG_KEYFRAME_ONLY, "mainStream": FLAG_MAIN_STREAM, "encoded": FLAG_ENCODED, "key": FLAG_KEY}}))
    elif cmd == "pack":
        h = json.loads(argv[2])
        print(pack(h["flags"], h["width"], h["height"], h["seq"], h["ptsMs"], h["captureMs"], h["generation"],
                   h.get("payloadBytes", 0), h.get("sentMs", 0.0), h.get("slot", 0)).hex())
    elif cmd == "unpack":
        print(json.dumps(unpack(bytes.fromhex(argv[2]))))
    else:
        raise SystemExit("usage: frame_header.py fields | pack '<json>' | unpack <hex>")


if __name__ == "__main__":
    _main(sys.argv)
