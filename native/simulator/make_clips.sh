#!/usr/bin/env bash
# Generates the simulator's camera-like clips (raw Annex-B H.264, High profile, 25 fps; a key frame every second on the
# main streams, every half second on the 360p sub-streams, those of whole seconds shared with the main stream) into
# resources/clips/ and writes manifest.json, then H.265 copies of one scene (manifest-h265.json). Idempotent: does
# nothing when the manifests match.
# Finished clips are also kept in a cache keyed by the generator's content (this script, the scenes, the manifest
# writer, the FFmpeg version): a fresh clone on the same machine copies them instead of encoding again.
# Usage: native/simulator/make_clips.sh [out-dir]   (FORCE=1 regenerates; KUZET_CLIP_CACHE=<dir> moves the cache,
# KUZET_CLIP_CACHE=off turns it off)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/../../resources/clips}"
GENERATOR=6   # bump when scenes or encoding change, so old clips are regenerated
H265_GENERATOR=2  # the same for the H.265 clips alone (they are transcoded from the H.264 ones)
H265_SCENES=(plaza)  # colourful (chroma errors show) with moving objects; H.265 cameras of other scenes play it
DUR=10        # seconds; motion (sim_scenes.py) has a period dividing DUR so the loop point is invisible
PY=/usr/bin/python3

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9  # one generator at a time; a second caller waits, then finds the clips valid
h264_ok() { [[ "${FORCE:-0}" != 1 ]] && "$PY" "$HERE/clip_manifest.py" check "$OUT" "$GENERATOR"; }
h265_ok() { [[ "${FORCE:-0}" != 1 ]] && "$PY" "$HERE/clip_manifest.py" check "$OUT" "$H265_GENERATOR" h265; }
# The cache: one folder per content key, written whole and renamed into place (never seen half-written).
KEY="$(cat "${BASH_SOURCE[0]}" "$HERE/sim_scenes.py" "$HERE/clip_manifest.py" "$HERE/h264_clip.py" <(ffmpeg -hide_banner -version | head -n 1) \
  | sha256sum | cut -c1-16)"
CACHE_ROOT="${KUZET_CLIP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/kuzet/clips}"
CACHE="$CACHE_ROOT/$KEY"
# Hard links where the cache and the clips share a file system, copies elsewhere; renames keep every step atomic.
place() { ln -f "$1" "$2" 2>/dev/null || cp -f "$1" "$2"; }
from_cache() {
  [[ "${FORCE:-0}" != 1 && "$CACHE_ROOT" != off && -d "$CACHE" ]] || return 1
  "$PY" "$HERE/clip_manifest.py" check "$CACHE" "$GENERATOR" && "$PY" "$HERE/clip_manifest.py" check "$CACHE" "$H265_GENERATOR" h265 || return 1
  for f in "$CACHE"/*.h264 "$CACHE"/*.h265; do place "$f" "$TMP/$(basename "$f")"; done
  for f in "$TMP"/*.h264 "$TMP"/*.h265; do mv -f "$f" "$OUT/"; done
  for m in manifest.json manifest-h265.json; do cp -f "$CACHE/$m" "$TMP/$m" && mv -f "$TMP/$m" "$OUT/$m"; done
  h264_ok && h265_ok
}
to_cache() {
  [[ "$CACHE_ROOT" != off ]] || return 0
  local part
  mkdir -p "$CACHE_ROOT" && part="$(mktemp -d "$CACHE_ROOT/.part-XXXXXX")" || return 0
  for f in "$OUT"/*.h264 "$OUT"/*.h265 "$OUT/manifest.json" "$OUT/manifest-h265.json"; do place "$f" "$part/$(basename "$f")" || { rm -rf "$part"; return 0; }; done
  rm -rf "$CACHE"; mv "$part" "$CACHE" 2>/dev/null || rm -rf "$part"
  # only the current key is worth keeping
  find "$CACHE_ROOT" -mindepth 1 -maxdepth 1 -type d ! -name "$KEY" ! -name ".part-*" -exec rm -rf {} + 2>/dev/null || true
}
if h264_ok && h265_ok; then
  # valid clips made before the cache existed (or by another clone) fill it, so the next fresh clone copies them
  [[ -d "$CACHE" ]] || to_cache
  exit 0
fi
TMP="$(mktemp -d "$OUT/.tmp-XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

if from_cache; then
  echo "make_clips: copied from the cache $CACHE" >&2
  exit 0
fi
# Scenes are encoded side by side, one per core (each FFmpeg's filter graph is mostly one thread).
JOBS="$(nproc 2>/dev/null || echo 2)"
pids=()
queue() { # <command...>: runs it in the background, at most $JOBS at once; a failure fails the script at `drain`
  "$@" & pids+=($!)
  if (( ${#pids[@]} >= JOBS )); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
}
drain() { local p; for p in "${pids[@]}"; do wait "$p"; done; pids=(); }

# Scenes are drawn at 1280x720: a static background here (VF), then the moving objects from sim_scenes.py
# (colour sources overlaid at positions that are functions of the frame number, the simulator's ground truth),
# then camera noise. Each has a distinct layout and brightness so a tile can be matched to its scene even at
# 64x36 grayscale.
NOISE="noise=alls=12:allf=t"
declare -A SRC VF
SRC[intersection]="color=c=0x383838:s=1280x720:r=25"
VF[intersection]="drawbox=x=0:y=300:w=1280:h=130:color=0x6a6a6a:t=fill,drawbox=x=570:y=0:w=140:h=720:color=0x6a6a6a:t=fill"

SRC[crossing]="color=c=0x585858:s=1280x720:r=25"
VF[crossing]="drawgrid=w=80:h=720:t=40:color=0xdcdcdc,drawbox=x=0:y=0:w=1280:h=200:color=0x304050:t=fill,\
drawbox=x=0:y=560:w=1280:h=160:color=0x304050:t=fill"

SRC[plaza]="gradients=s=1280x720:r=25:c0=0x9a7a50:c1=0xe8d8b0:speed=0.00001:seed=7"
VF[plaza]="drawbox=x=200:y=120:w=880:h=60:color=0x704828:t=fill"

SRC[park]="life=s=320x180:mold=10:r=25:ratio=0.3:seed=42:death_color=0x1e3a14:life_color=0x8ac060:mold_color=0x3c6428"
VF[park]="scale=1280:720:flags=neighbor,drawbox=x=0:y=560:w=1280:h=60:color=0xb8a888:t=fill"

SRC[highway]="color=c=0x8aaad8:s=1280x720:r=25"
VF[highway]="drawbox=x=0:y=330:w=1280:h=390:color=0x505050:t=fill,drawbox=x=0:y=300:w=1280:h=30:color=0x407030:t=fill"

SRC[metro]="cellauto=s=320x180:rule=110:r=25:seed=11:scroll=1"
VF[metro]="scale=1280:720:flags=neighbor,eq=contrast=0.35:brightness=0.05,colorchannelmixer=rr=0.6:gg=0.7:bb=1.0,\
drawbox=x=440:y=200:w=400:h=520:color=0x1a1a28:t=fill"

SRC[night-street]="color=c=0x0c0c14:s=1280x720:r=25"
VF[night-street]="drawbox=x=0:y=500:w=1280:h=120:color=0x202024:t=fill,\
drawbox=x=150:y=60:w=30:h=30:color=0xffe080:t=fill,drawbox=x=650:y=60:w=30:h=30:color=0xffe080:t=fill,drawbox=x=1100:y=60:w=30:h=30:color=0xffe080:t=fill"

SCENES=(intersection crossing plaza park highway metro night-street)
MULTISLICE=crossing      # real cameras send several slices per frame; this scene always does
VARIANT_SCENE=highway    # also encoded at 1080p and 480p for the resolution control

# Sub-streams (360p) get a key frame every 12.5 frames (frames 0, 13, 25, 38, ...: every half second, the whole
# seconds' ones where the main stream has its own), as a console asks of the stream it records for review: a seek
# decodes from the key frame before its picture, so half the GOP is half the decoding of a 16-tile replay seek
# (docs/replay.md, "The sub-stream's key-frame interval"). Main streams keep one a second.
SUB_KEYS="expr:gte(n,n_forced*12.5)"
x264() { # <kbit/s> <extra x264 params> [sub]
  local kb=$1 extra=${2:-} sub=${3:-}
  local params="aud=1:repeat-headers=1:ref=1:subme=2:trellis=0${extra:+:$extra}"
  echo -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p -r 25 -g 25 -keyint_min 25 \
    ${sub:+-force_key_frames $SUB_KEYS} \
    -sc_threshold 0 -bf 0 -b:v "${kb}k" -maxrate "${kb}k" -bufsize "${kb}k" -x264-params "$params" -an -f h264
}

make_h264() {
  for s in "${SCENES[@]}"; do
    slices=""; [[ $s == "$MULTISLICE" ]] && slices="slices=4"
    scene="[0:v]${VF[$s]}[bg];$("$PY" "$HERE/sim_scenes.py" graph "$s" bg mv);[mv]$NOISE,format=yuv420p"
    graph="$scene,split=2[a][b];[b]scale=640:360[c]"
    outs=(-map "[a]" $(x264 4000 "$slices") "$TMP/$s-720p.h264" -map "[c]" $(x264 1000 "$slices" sub) "$TMP/$s-360p.h264")
    if [[ $s == "$VARIANT_SCENE" ]]; then
      graph="$scene,split=4[a][b][d][e];[b]scale=640:360[c];[d]scale=1920:1080[f];[e]scale=848:480[g]"
      outs+=(-map "[f]" $(x264 6000) "$TMP/$s-1080p.h264" -map "[g]" $(x264 1800) "$TMP/$s-480p.h264")
    fi
    echo "make_clips: $s" >&2
    queue ffmpeg -hide_banner -v error -y -threads 2 -f lavfi -t "$DUR" -i "${SRC[$s]}" -filter_complex "$graph" "${outs[@]}"
  done
  drain

  "$PY" "$HERE/clip_manifest.py" write "$TMP" "$GENERATOR" "$MULTISLICE" "${SCENES[@]}"
  # Renames are atomic: a simulator reading clips meanwhile sees old or new files, never partial ones.
  for f in "$TMP"/*.h264; do mv -f "$f" "$OUT/"; done
  mv -f "$TMP/manifest.json" "$OUT/manifest.json"
}

# H.265 (Main profile, the same key frames, no B-frames, an AUD and VPS/SPS/PPS before every key frame, like the H.264 clips),
# transcoded from the finished H.264 clips: the same pictures and ground truth, no second scene renderer.
x265() { # <kbit/s> [sub]
  echo -c:v libx265 -preset ultrafast -pix_fmt yuv420p -r 25 -b:v "${1}k" ${2:+-force_key_frames $SUB_KEYS} \
    -x265-params "keyint=25:min-keyint=12:scenecut=0:bframes=0:aud=1:repeat-headers=1:log-level=error" -an -f hevc
}

make_h265() {
  for s in "${H265_SCENES[@]}"; do
    echo "make_clips: $s (H.265)" >&2
    queue ffmpeg -hide_banner -v error -y -threads 2 -i "$OUT/$s-720p.h264" $(x265 2500) "$TMP/$s-720p.h265"
    queue ffmpeg -hide_banner -v error -y -threads 2 -i "$OUT/$s-360p.h264" $(x265 700 sub) "$TMP/$s-360p.h265"
  done
  drain
  "$PY" "$HERE/clip_manifest.py" write-h265 "$TMP" "$H265_GENERATOR" "${H265_SCENES[@]}"
  for f in "$TMP"/*.h265; do mv -f "$f" "$OUT/"; done
  mv -f "$TMP/manifest-h265.json" "$OUT/manifest-h265.json"
}

regenerated=0
if ! h264_ok; then make_h264; regenerated=1; fi
# new H.264 clips make new H.265 ones (they are copies of them)
if [[ $regenerated == 1 ]] || ! h265_ok; then make_h265; fi
to_cache
echo "make_clips: done in $OUT" >&2
