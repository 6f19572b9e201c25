#!/usr/bin/env bash
# Debian's Chromium for the tests, with every --disable-features=... of its command line merged into one (Chromium
# reads only the last one). Playwright passes its own list (PaintHolding, MediaRouter, ...); the harness adds
# PMProcessPriorityPolicy (CHROMIUM_ARGS in harness.ts, docs/testing.md "A page that stops answering input"): passed
# as a second switch it would silently drop Playwright's list, so this merges them.
args=()
disabled=()
for a in "$@"; do
  case "$a" in
    --disable-features=*) disabled+=("${a#--disable-features=}") ;;
    *) args+=("$a") ;;
  esac
done
if ((${#disabled[@]})); then
  joined=$(IFS=,; echo "${disabled[*]}")
  args+=("--disable-features=$joined")
fi
exec "${KUZET_TEST_CHROMIUM:-/usr/bin/chromium}" "${args[@]}"
