"""The footage feeder's schedule (pure, no GStreamer; unit-tested by tests/unit/feeder-schedule.test.ts): when each
recorded access unit is served on the scenario's clock, where a stream starts, and when a unit is too late to serve.

The scenario clock maps a recording time R (epoch ms: a segment's start + the unit's time inside it) to the wall time
the unit is due: `started_at + (R - from_ms)`. Every unit is served at its due time, never earlier: a gap in the
recording is a gap in the stream (an outage: the tile goes stale, then offline, and resumes when the footage resumes),
footage not recorded yet (a scenario that reaches into the present) is waited for, and a stream never runs ahead of
the clock."""

LATE_START_MS = 250  # a stream starts at the first key frame due no earlier than this before now
RESYNC_MS = 2000  # a unit later than this (footage that arrived late) is dropped: the stream resumes at a key frame


def due_ms(record_ms: float, from_ms: int, started_at: int) -> float:
    """The wall time (epoch ms) a unit recorded at record_ms is served: the scenario clock."""
    return started_at + (record_ms - from_ms)


def pick(files, target_ms: float):
    """The segments ([(path, startMs)], sorted) from the one holding target_ms on; in a gap or before the footage,
    from the next one (served when its time comes)."""
    start = 0
    for i, (_path, start_ms) in enumerate(files):
        if start_ms <= target_ms:
            start = i
    return list(files[start:])


def after(files, cursor_ms: int):
    """The segments that start after the one being played (footage recorded since, as the host re-sends the list)."""
    return [f for f in files if f[1] > cursor_ms]


def decide(waiting_key: bool, is_key: bool, due: float, now: float):
    """What to do with one unit: ('push' | 'drop', waiting_key after it). A stream starts, and resumes after late
    footage, at a key frame that is on time; a unit much later than its due time is not served late."""
    if waiting_key:
        if not is_key or due < now - LATE_START_MS:
            return 'drop', True
        return 'push', False
    if due < now - RESYNC_MS:
        return 'drop', True
    return 'push', False


class Pacer:
    """One served stream's pacing: for each recorded unit in order, None (not served) or (pts_ms, release_at): its
    stream time (0 for the first unit served, then its due time minus the first one's: a gap in the recording is a jump
    in stream time) and the wall time (epoch ms) it is pushed at, its due time on the scenario clock. The feeder waits
    for release_at itself (clocksync in an RTSP media pipeline did not hold the units: they ran about 1.3x fast)."""

    def __init__(self, from_ms: int, started_at: int):
        self.from_ms, self.started_at = from_ms, started_at
        self.waiting_key = True
        self.t0 = None  # the due time of the first unit served: stream time 0

    def unit(self, record_ms: float, is_key: bool, now_ms: float):
        due = due_ms(record_ms, self.from_ms, self.started_at)
        action, self.waiting_key = decide(self.waiting_key, is_key, due, now_ms)
        if action == 'drop':
            return None
        if self.t0 is None:
            self.t0 = due
        return due - self.t0, due
