/**
 * The screens a browser console puts its follower windows on ("Displays on their monitors", renderer/replay/
 * use-monitor-windows.ts `otherScreens`): every screen but the console's own, left to right then top to bottom, as the
 * area a window may fill; null without the Window Management API or when the operator refused its permission.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { otherScreens } from '../../renderer/replay/use-monitor-windows.js';

const screen = (left: number, top: number, w: number, h: number, taskbar = 0) => ({ left, top, width: w, height: h, availLeft: left, availTop: top, availWidth: w, availHeight: h - taskbar });
const g = globalThis as { window?: unknown };
afterEach(() => { delete g.window; });

describe('other screens', () => {
  it('gives every screen but the console\'s, left to right then top to bottom, by their available area', async () => {
    const own = screen(1920, 0, 1920, 1080, 40);
    const screens = [screen(3840, 0, 1280, 1024), own, screen(0, 0, 1920, 1080, 40), screen(0, 1080, 1920, 1080)];
    g.window = { getScreenDetails: async () => ({ screens, currentScreen: own }) };
    expect(await otherScreens()).toEqual([
      { x: 0, y: 0, width: 1920, height: 1040 },
      { x: 0, y: 1080, width: 1920, height: 1080 },
      { x: 3840, y: 0, width: 1280, height: 1024 },
    ]);
  });

  it('is null without the API or when the permission is refused, and empty with one screen', async () => {
    g.window = {};
    expect(await otherScreens()).toBeNull();
    g.window = { getScreenDetails: async () => { throw new DOMException('Permission denied.', 'NotAllowedError'); } };
    expect(await otherScreens()).toBeNull();
    const only = screen(0, 0, 1920, 1080);
    g.window = { getScreenDetails: async () => ({ screens: [only], currentScreen: only }) };
    expect(await otherScreens()).toEqual([]);
  });
});
