// The wall's app window in Debian's Chromium: ONE list of flags for `npm start` (scripts/start.mjs) and the window row
// of `npm run bench:wall` (tests/bench/wall.ts), so the benchmark measures the window the operator gets.
import { execFileSync } from 'node:child_process';

/** Size of the X screen `display` (e.g. ":0"), from xwininfo; null when it cannot be read. */
export function screenSize(display) {
  try {
    const out = execFileSync('xwininfo', ['-root', '-display', display], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    const w = Number(/Width:\s*(\d+)/.exec(out)?.[1]);
    const h = Number(/Height:\s*(\d+)/.exec(out)?.[1]);
    return w > 0 && h > 0 ? { width: w, height: h } : null;
  } catch {
    return null;
  }
}

/**
 * Chromium's arguments for the wall's app window: the console and nothing else, placed over the whole screen
 * (without a window manager, as under Xvfb, --start-maximized does nothing: position and size are explicit).
 * `bounds`: a window of that place and size instead of the whole screen (the map window beside the wall on one screen).
 * The map window the host starts (electron/host/map/map-window.ts) uses these flags too, with a profile of its own.
 * `asRoot`: Chromium refuses to start as root without --no-sandbox; --test-type keeps it from showing the
 * "unsupported command-line flag" bar about it on top of the wall.
 */
export function appWindowArgs({ url, profileDir, screen, asRoot, bounds }) {
  const args = [`--app=${url}`, `--user-data-dir=${profileDir}`,
    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
    '--no-default-browser-check', '--hide-crash-restore-bubble',
    '--disable-gpu', // no GPU: paint in software (DESIGN.md)
    // ... and WebGL for the map (deck.gl) in software too: Chromium no longer falls back to SwiftShader by itself in a
    // window, so without this flag the map gets no WebGL at all (headless still does, which is why only the window showed it)
    '--enable-unsafe-swiftshader',
    ...(bounds ? [`--window-position=${bounds.x},${bounds.y}`, `--window-size=${bounds.width},${bounds.height}`]
      : ['--window-position=0,0', `--window-size=${screen.width},${screen.height}`, '--start-maximized'])];
  if (asRoot) args.push('--no-sandbox', '--test-type');
  return args;
}
