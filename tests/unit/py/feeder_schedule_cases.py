"""The footage feeder's schedule (native/feeder/schedule.py) on synthetic recordings; prints the results as JSON for
tests/unit/feeder-schedule.test.ts. A camera recorded 0-4 s and 4-8 s, nothing 8-20 s (a gap), then 20-24 s; 25 frames
a second, a key frame every second; the scenario's footage starts at FROM, the session at START."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'native', 'feeder'))
from schedule import Pacer, after, due_ms, pick, stamp_ns  # noqa: E402

FROM = 1_000_000
START = 5_000_000
SEGMENTS = [('a.mp4', FROM), ('b.mp4', FROM + 4000), ('c.mp4', FROM + 20_000)]


def units(seg_start):
    return [(seg_start + i * 40, i % 25 == 0) for i in range(100)]  # 4 s at 25 fps, a key frame each second


def serve(connect_offset, late_at=None, late_by=0):
    """Plays the stream as the feeder does, from a client connecting at scenario offset connect_offset: each unit
    decided when the one before was released (the feeder's need-data), released at its due time. late_at: a scenario offset whose footage is
    listed late_by ms late (a segment the host listed late). Returns [(offset, released at offset, key)]."""
    pacer = Pacer(FROM, START)
    now = START + connect_offset
    target = FROM + connect_offset
    out = []
    for path, seg_start in pick(SEGMENTS, target):
        for rec, key in units(seg_start):
            if late_at is not None and rec - FROM >= late_at:
                now = max(now, START + late_at + late_by)  # the segment became readable this late
            release_at = pacer.unit(rec, key, now)
            if release_at is None:
                continue
            now = max(now, release_at)
            out.append((rec - FROM, now - START, key))
    return out


def stamps(play_at_ms, units_ms):
    """The DTS (ms) of units (due at, pushed at: ms after preroll began) of a media whose client's PLAY came at
    play_at_ms: running time 0 then."""
    last, out = None, []
    for due, at in units_ms:
        running = (at - play_at_ms) * 1_000_000 if at >= play_at_ms else None
        last = stamp_ns(running, int((at - due) * 1_000_000), last)
        out.append(last / 1_000_000)
    return out


on_time = serve(2300)
in_gap = serve(10_000)
before = serve(-3000)
late = serve(0, late_at=4000, late_by=2500)
print(json.dumps({
    'due': due_ms(FROM + 1234, FROM, START) - START,
    'pickInside': [p for p, _ in pick(SEGMENTS, FROM + 5000)],
    'pickGap': [p for p, _ in pick(SEGMENTS, FROM + 10_000)],
    'pickBefore': [p for p, _ in pick(SEGMENTS, FROM - 10_000)],
    'after': [p for p, _ in after(SEGMENTS, FROM + 4000)],
    'onTime': on_time, 'inGap': in_gap, 'before': before, 'late': late,
    # units due every 40 ms: three prerolled on time, PLAY at 1500 ms; the units due since then pushed at once, the
    # next ones on time, one 30 ms late, then a gap of 2 s in the footage
    'stamps': stamps(1500, [(0, 0), (40, 40), (80, 80), (120, 1500.5), (1480, 1501), (1520, 1520), (1560, 1560),
                            (1600, 1630), (1640, 1640), (3680, 3680)]),
}))
