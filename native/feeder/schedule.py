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
    """One served stream's pacing: for each recorded unit in order, None (not served) or the wall time (epoch ms) it is
    pushed at, its due time on the scenario clock. The feeder waits for that time itself (clocksync in an RTSP media
    pipeline did not hold the units: they ran about 1.3x fast)."""

    def __init__(self, from_ms: int, started_at: int):
        self.from_ms, self.started_at = from_ms, started_at
        self.waiting_key = True

    def unit(self, record_ms: float, is_key: bool, now_ms: float):
        due = due_ms(record_ms, self.from_ms, self.started_at)
        action, self.waiting_key = decide(self.waiting_key, is_key, due, now_ms)
        return None if action == 'drop' else due


def stamp_ns(running_ns, behind_ns: int, last_ns):
    """The decoding time stamp (DTS, ns) of a unit pushed behind_ns after its moment on the scenario clock: the media's
    running time at that moment. The media's RTP sinks hold a unit until base time + its DTS, and a prerolled media's
    base time is set when its first client's PLAY arrives, after DESCRIBE and SETUP (0.2-2 s on a busy machine).
    Stamped with a stream time counted from the first unit, every unit was held that much behind its moment (560 ms,
    and 1.7 s with a PLAY 1.5 s after SETUP: 2026-12-06). Stamped with the running time at its moment (running_ns at the
    push, None while the media prerolls: 0), a unit goes out when it is pushed, the units due while a client took to
    PLAY go out back to back when it does, and the stream time still follows the scenario clock (a gap in the footage
    is a jump by the gap's length, however late a push was). Never at or before the last stamp (last_ns)."""
    t = 0 if running_ns is None else max(0, running_ns - behind_ns)
    return t if last_ns is None else max(t, last_ns + 1)
