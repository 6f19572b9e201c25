export interface ScreenSize { width: number; height: number }
export function screenSize(display: string): ScreenSize | null;
export function appWindowArgs(o: { url: string; profileDir: string; screen: ScreenSize; asRoot: boolean }): string[];
