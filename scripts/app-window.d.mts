export interface ScreenSize { width: number; height: number }
export function screenSize(display: string): ScreenSize | null;
export interface WindowBounds { x: number; y: number; width: number; height: number }
export function appWindowArgs(o: { url: string; profileDir: string; screen: ScreenSize; asRoot: boolean; bounds?: WindowBounds }): string[];
