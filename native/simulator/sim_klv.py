"""The simulator's KLV drone (issue 10 §3): a camera's 360p clip muxed into MPEG-TS with MISB ST 0601 (UAS Datalink
Local Set) metadata on every frame, served raw over TCP (tcpserversink: each client gets the live stream from where it
joins). The drone flies the closed loop of resources/map/klv-drone.json; each packet carries its sensor position,
altitude, heading, fields of view, frame centre and the four corners of what the camera sees, computed for a camera
looking ahead and down (flat ground). `python3 sim_klv.py packet` prints one packet in hex (for a look)."""
import json
import math
import struct
import sys
import time

UAS_LS_KEY = bytes.fromhex('060E2B34020B01010E01030101000000')
EARTH_M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude times cos(lat))


def ber_length(n: int) -> bytes:
    if n < 128:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(body)]) + body


def checksum(data: bytes) -> int:
    """ST 0601's 16-bit running sum: even-offset bytes in the high byte, odd-offset bytes in the low byte."""
    s = 0
    for i, b in enumerate(data):
        s = (s + (b << (8 * ((i + 1) % 2)))) & 0xFFFF
    return s


def _signed(value: float, span: float, size: int) -> bytes:
    """int of `size` bytes mapping -span..span onto +-(2^(8*size-1) - 1) (0x80.. is the 'error' value)."""
    top = 2 ** (8 * size - 1) - 1
    return round(value / span * top).to_bytes(size, 'big', signed=True)


def _unsigned(value: float, lo: float, hi: float, size: int) -> bytes:
    top = 2 ** (8 * size) - 1
    return round((value - lo) / (hi - lo) * top).to_bytes(size, 'big')


def packet(f: dict) -> bytes:
    """One UAS Datalink LS packet (tags: 2 time, 3 mission, 5 heading, 10 platform, 13-18 sensor, 23-25 frame centre,
    82-89 full corners, 65 version, 1 checksum last)."""
    items = [
        (2, struct.pack('>Q', f['time_us'])),
        (3, f['mission'].encode()),
        (5, _unsigned(f['heading'], 0, 360, 2)),
        (10, f['platform'].encode()),
        (13, _signed(f['lat'], 90, 4)),
        (14, _signed(f['lon'], 180, 4)),
        (15, _unsigned(f['alt'], -900, 19000, 2)),
        (16, _unsigned(f['hfov'], 0, 180, 2)),
        (17, _unsigned(f['vfov'], 0, 180, 2)),
        (18, _unsigned(0, 0, 360, 4)),
        (19, _signed(-f['depression'], 180, 4)),
        (23, _signed(f['center'][0], 90, 4)),
        (24, _signed(f['center'][1], 180, 4)),
        (25, _unsigned(0, -900, 19000, 2)),
    ]
    for i, (lat, lon) in enumerate(f['corners']):
        items.append((82 + 2 * i, _signed(lat, 90, 4)))
        items.append((83 + 2 * i, _signed(lon, 180, 4)))
    items.append((65, bytes([19])))
    value = b''.join(bytes([tag]) + ber_length(len(v)) + v for tag, v in items) + b'\x01\x02'
    head = UAS_LS_KEY + ber_length(len(value) + 2)
    return head + value + checksum(head + value).to_bytes(2, 'big')


class Route:
    """The drone's closed loop: position and heading after t seconds at constant speed, and the camera's footprint."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.path = [tuple(p) for p in doc['path']] + [tuple(doc['path'][0])]
        self.legs = []
        for a, b in zip(self.path, self.path[1:]):
            self.legs.append((a, b, _metres(a, b)))
        self.total = sum(m for _, _, m in self.legs)

    def at(self, t: float) -> dict:
        d = (self.doc['speedMs'] * t) % self.total
        for a, b, m in self.legs:
            if d <= m:
                k = d / m if m else 0
                lat, lon = a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k
                north = (b[0] - a[0]) * EARTH_M_PER_DEG
                east = (b[1] - a[1]) * EARTH_M_PER_DEG * math.cos(math.radians(lat))
                heading = math.degrees(math.atan2(east, north)) % 360
                return self.view(lat, lon, heading)
            d -= m
        return self.view(self.path[0][0], self.path[0][1], 0)

    def view(self, lat: float, lon: float, heading: float) -> dict:
        alt, dep = self.doc['altitudeM'], math.radians(self.doc['depressionDeg'])
        th, tv = math.tan(math.radians(self.doc['hfovDeg']) / 2), math.tan(math.radians(self.doc['vfovDeg']) / 2)
        hd = math.radians(heading)
        fwd_h, right_h = (math.sin(hd), math.cos(hd)), (math.cos(hd), -math.sin(hd))  # (east, north) unit vectors

        def ground(sx: float, sy: float):
            # camera axes: forward pitched down by dep, up perpendicular to it, right horizontal
            fx, fz = math.cos(dep), -math.sin(dep)
            ux, uz = math.sin(dep), math.cos(dep)
            along, up = fx + sy * tv * ux, fz + sy * tv * uz
            side = sx * th
            k = alt / -up  # the ray reaches the ground (z = -alt)
            east = (along * fwd_h[0] + side * right_h[0]) * k
            north = (along * fwd_h[1] + side * right_h[1]) * k
            return (lat + north / EARTH_M_PER_DEG, lon + east / (EARTH_M_PER_DEG * math.cos(math.radians(lat))))

        # ST 0601 corner order: 1 upper left, 2 upper right, 3 lower right, 4 lower left of the picture
        corners = [ground(-1, 1), ground(1, 1), ground(1, -1), ground(-1, -1)]
        return {'lat': lat, 'lon': lon, 'heading': heading, 'alt': alt, 'hfov': self.doc['hfovDeg'],
                'vfov': self.doc['vfovDeg'], 'depression': self.doc['depressionDeg'], 'center': ground(0, 0),
                'corners': corners}


def _metres(a, b) -> float:
    north = (b[0] - a[0]) * EARTH_M_PER_DEG
    east = (b[1] - a[1]) * EARTH_M_PER_DEG * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(north, east)


def load_route(path: str) -> Route:
    with open(path) as f:
        return Route(json.load(f))


class KlvDrone:
    """A pipeline of its own: appsrc (H.264 access units) and appsrc (KLV) into mpegtsmux, then tcpserversink on
    127.0.0.1. Every video frame pushed carries one KLV packet with the same pts (synchronous metadata)."""

    def __init__(self, Gst, clip, route: Route, camera_id: str):
        self.Gst, self.clip, self.route, self.camera_id = Gst, clip, route, camera_id
        self.frame_ns = Gst.SECOND // 25
        caps = 'video/x-h264,stream-format=byte-stream,alignment=au,framerate=25/1'
        self.pipeline = Gst.parse_launch(
            f'appsrc name=v format=time is-live=false max-buffers=3 caps="{caps}" ! clocksync ! h264parse ! queue ! '
            'mpegtsmux name=mux alignment=7 ! tcpserversink name=out host=127.0.0.1 port=0 sync=false '
            'recover-policy=keyframe '
            'appsrc name=k format=time is-live=false caps="meta/x-klv,parsed=true" ! queue ! mux.')
        self.v = self.pipeline.get_by_name('v')
        self.k = self.pipeline.get_by_name('k')
        self.count = 0
        self.pos = 0
        self.t0 = time.time()
        self.v.connect('need-data', self._need)
        self.pipeline.set_state(Gst.State.PLAYING)
        out = self.pipeline.get_by_name('out')
        for _ in range(100):
            port = out.get_property('current-port')
            if port > 0:
                break
            time.sleep(0.02)
        self.port = out.get_property('current-port')

    def url(self) -> str:
        return f'tcp://127.0.0.1:{self.port}'

    def _need(self, _src, _length):
        Gst = self.Gst
        pts = self.count * self.frame_ns
        now = self.t0 + pts / Gst.SECOND
        v = self.route.at(now - self.t0)
        klv = packet({**v, 'time_us': int(now * 1_000_000), 'mission': 'KUZET-DEMO',
                      'platform': self.route.doc.get('platform', 'UAV')})
        kb = Gst.Buffer.new_wrapped(klv)
        kb.pts = kb.dts = pts
        kb.duration = self.frame_ns
        self.k.emit('push-buffer', kb)
        data, _key = self.clip.units[self.pos]
        vb = Gst.Buffer.new_wrapped(data)
        vb.pts = vb.dts = pts
        vb.duration = self.frame_ns
        self.count += 1
        self.pos = (self.pos + 1) % len(self.clip.units)
        self.v.emit('push-buffer', vb)

    def describe(self) -> dict:
        return {'camera': self.camera_id, 'unitId': self.route.doc['unitId'], 'url': self.url()}

    def stop(self):
        self.pipeline.set_state(self.Gst.State.NULL)


if __name__ == '__main__':
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    r = load_route(os.path.join(here, '..', '..', 'resources', 'map', 'klv-drone.json'))
    if sys.argv[1:] == ['packet']:
        v = r.at(0)
        print(packet({**v, 'time_us': 1_700_000_000_000_000, 'mission': 'KUZET-DEMO', 'platform': 'UAV'}).hex())
