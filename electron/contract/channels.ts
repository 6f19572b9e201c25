/** Electron IPC channel names: the only two the desktop transport uses (requests and events). */
export const IPC_INVOKE = 'kuzet:invoke';
export const IPC_EVENT = 'kuzet:event';
/** Argument the main process passes to each window's preload: which display the window is. */
export const DISPLAY_ARG_PREFIX = '--kuzet-display=';
