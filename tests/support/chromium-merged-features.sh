#!/usr/bin/env bash
# Debian's Chromium as the tests launch it through Playwright (TEST_CHROMIUM in harness.ts):
# - every --disable-features=... of the command line merged into one (Chromium reads only the last one): Playwright
#   passes its own list (PaintHolding, MediaRouter, ...), the harness adds PMProcessPriorityPolicy (CHROMIUM_ARGS);
# - with Playwright's --remote-debugging-pipe, the pipe to Playwright (fd 4) runs through cdp-frame-filter.py, which
#   leaves out the WebSocket frame events: the console's video would otherwise cross it base64-encoded, several MB/s,
#   and every reply (a click, an evaluate) waits behind it on a busy machine (docs/testing.md, "A click that never
#   completes"). KUZET_CDP_WS_FRAMES=1 keeps them (a test that wants page.on('websocket') frames).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
args=()
disabled=()
pipe=0
for a in "$@"; do
  case "$a" in
    --disable-features=*) disabled+=("${a#--disable-features=}") ;;
    --remote-debugging-pipe) pipe=1; args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
if ((${#disabled[@]})); then
  joined=$(IFS=,; echo "${disabled[*]}")
  args+=("--disable-features=$joined")
fi
chromium="${KUZET_TEST_CHROMIUM:-/usr/bin/chromium}"
if ((pipe)) && [[ "${KUZET_CDP_WS_FRAMES:-0}" != 1 ]] && { true >&4; } 2>/dev/null; then
  exec 5>&4
  exec "$chromium" "${args[@]}" 4> >(exec /usr/bin/python3 "$here/cdp-frame-filter.py" >&5 5>&-) 5>&-
fi
exec "$chromium" "${args[@]}"
