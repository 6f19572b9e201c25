"""The moving objects of the simulator's scenes: one definition for the clip generator (ffmpeg `overlay`
expressions in the frame's time stamp) and for the ground truth (the same expressions evaluated per frame).

usage: sim_scenes.py graph <scene> <in-label> <out-label>   # prints the filter_complex chain for make_clips.sh
       sim_scenes.py truth <scene> <frame>                  # prints the objects' boxes at that clip frame (JSON)
       sim_scenes.py table                                  # every scene's boxes at every frame: {scene: [[...], ...]}

Positions are in 1280x720 pixels of the scene (every clip size is a plain scale of it). `T` in an expression is
the time in the clip in seconds, frame / 25, so position is a function of the frame index in the 10 s loop; every
motion has a period dividing 250 frames, so the loop point is invisible. ffmpeg's `drawbox` cannot move boxes
(its `t` is the border thickness, not time): the objects are colour sources overlaid at these positions.
"""
import json
import math
import sys

FPS = 25
FRAMES = 250
W, H = 1280, 720

# scene -> [(track, label, colour, w, h, x(T), y(T))]
MOVERS = {
    'intersection': [
        ('car-red', 'vehicle', '0xc02020', 100, 42, 'mod(T*148,1480)-100', '315'),
        ('car-white', 'vehicle', '0xe0e0e0', 130, 46, '1280-mod(T*296,1480)', '372'),
        ('person-yellow', 'person', '0xe0c020', 44, 96, '590', 'mod(T*92,920)-100'),
        ('person-blue', 'person', '0x2040c0', 40, 90, '665', '720-mod(T*184,920)'),
    ],
    'crossing': [
        ('person-blue', 'person', '0x203080', 30, 80, 'mod(T*128,1280)', '240'),
        ('person-red', 'person', '0xa03030', 30, 80, '1250-mod(T*256,1280)', '330'),
        ('person-green', 'person', '0x208040', 30, 80, 'mod(T*384+400,1280)', '430'),
    ],
    'plaza': [
        ('person-black', 'person', '0x202020', 24, 60, '300+200*sin(2*PI*T/10)', '420'),
        ('person-blue', 'person', '0x3040a0', 24, 60, '700+300*cos(2*PI*T/10)', '500+80*sin(4*PI*T/10)'),
        ('person-red', 'person', '0xb02020', 28, 64, 'mod(T*128,1280)', '600'),
    ],
    'park': [
        ('dog-white', 'animal', '0xf0f0f0', 70, 70, 'mod(T*148,1480)-100', '545'),
    ],
    'highway': [
        ('lane-1', 'marking', '0xf0f0f0', 80, 10, 'mod(T*592,1280)', '520'),
        ('lane-2', 'marking', '0xf0f0f0', 80, 10, 'mod(T*592+640,1280)', '520'),
        ('car-red', 'vehicle', '0xd02020', 140, 60, 'mod(T*444,1480)-100', '400'),
        ('truck-white', 'vehicle', '0xf0f0f0', 160, 70, '1280-mod(T*592,1480)', '580'),
        ('car-blue', 'vehicle', '0x202080', 120, 60, '1280-mod(T*296+700,1480)', '620'),
    ],
    'metro': [
        ('person-beige', 'person', '0xd0c0a0', 40, 110, '520+120*sin(2*PI*T/10)', '360+60*sin(4*PI*T/10)'),
        ('person-red', 'person', '0xc03030', 40, 110, '700-140*sin(2*PI*T/10)', '420'),
    ],
    'night-street': [
        ('car-lamp-1', 'vehicle', '0xffffe0', 40, 20, 'mod(T*296,1480)-100', '530'),
        ('car-lamp-2', 'vehicle', '0xffffe0', 40, 20, 'mod(T*296,1480)-40', '530'),
        ('car-tail', 'vehicle', '0xff3020', 30, 16, '1280-mod(T*148,1480)', '580'),
    ],
}


def _ff(expr: str) -> str:
    # overlay's `t` is the main frame's pts in seconds, exactly n / 25 (its `n` is one ahead in ffmpeg 5.1: the
    # main link's count after taking the frame).
    return expr.replace('T', 't')


def graph(scene: str, inp: str, out: str) -> str:
    """`[inp]` -> `[out]` with each mover overlaid (ffmpeg rounds x and y down to even pixels for 4:2:0)."""
    parts, cur = [], inp
    for i, (_track, _label, colour, w, h, x, y) in enumerate(MOVERS.get(scene, [])):
        nxt = out if i == len(MOVERS[scene]) - 1 else f'{inp}m{i}'
        parts.append(f'color=c={colour}:s={w}x{h}:r={FPS}[{inp}o{i}]')
        parts.append(f"[{cur}][{inp}o{i}]overlay=x='{_ff(x)}':y='{_ff(y)}':eval=frame:shortest=1[{nxt}]")
        cur = nxt
    if not parts:
        parts.append(f'[{inp}]null[{out}]')
    return ';'.join(parts)


def _eval(expr: str, frame: int) -> float:
    env = {'T': (frame % FRAMES) / FPS, 'PI': math.pi, 'sin': math.sin, 'cos': math.cos,
           'mod': lambda a, b: a - b * math.floor(a / b)}
    return float(eval(expr, {'__builtins__': {}}, env))  # noqa: S307 -- constant expressions above


def _even(v: float) -> int:
    return int(v) & ~1  # as ffmpeg's overlay: truncate, then clear the low bit (two's complement)


def truth(scene: str, frame: int) -> list:
    """The objects at clip frame `frame` (0..249): boxes normalised to the picture, clipped to it, visible only."""
    result = []
    for track, label, colour, w, h, x, y in MOVERS.get(scene, []):
        x0, y0 = _even(_eval(x, frame)), _even(_eval(y, frame))
        x1, y1 = min(W, x0 + w), min(H, y0 + h)
        x0c, y0c = max(0, x0), max(0, y0)
        if x1 - x0c < 4 or y1 - y0c < 4:
            continue
        result.append({'track': track, 'label': label, 'colour': colour,
                       'x': x0c / W, 'y': y0c / H, 'w': (x1 - x0c) / W, 'h': (y1 - y0c) / H})
    return result


if __name__ == '__main__':
    if sys.argv[1] == 'graph':
        print(graph(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif sys.argv[1] == 'truth':
        print(json.dumps(truth(sys.argv[2], int(sys.argv[3]))))
    elif sys.argv[1] == 'table':
        print(json.dumps({scene: [truth(scene, f) for f in range(FRAMES)] for scene in MOVERS}, separators=(',', ':')))
    else:
        raise SystemExit(__doc__)
