import { z } from 'zod';
import { SettingsFile } from '../storage/settings-file.ts';

/** Where the window was and how big, as the trader left it; restored at the next start. */
export const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1440, height: 900 };
export const MIN_SIZE = { width: 1024, height: 640 };
/** At least this much of the title bar must land on a screen, or the window is put back on the main one. */
const VISIBLE_PX = 80;

/**
 * The bounds to open at: the saved ones while they still fit a connected screen (a monitor
 * unplugged since, or a resolution lowered, would leave the window off-screen or larger than the
 * screen), else the default size centred on the primary screen's work area.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], primary: Rect): Rect & { maximized: boolean } {
  const centred = (area: Rect): Rect => {
    const width = Math.min(DEFAULT_SIZE.width, area.width);
    const height = Math.min(DEFAULT_SIZE.height, area.height);
    return { x: Math.round(area.x + (area.width - width) / 2), y: Math.round(area.y + (area.height - height) / 2), width, height };
  };
  if (!saved) return { ...centred(primary), maximized: false };
  const home = workAreas.find((a) => {
    const overlapX = Math.min(saved.x + saved.width, a.x + a.width) - Math.max(saved.x, a.x);
    const titleOnScreen = saved.y >= a.y && saved.y < a.y + a.height - VISIBLE_PX / 2;
    return overlapX >= VISIBLE_PX && titleOnScreen;
  });
  if (!home) return { ...centred(primary), maximized: saved.maximized };
  const width = Math.max(MIN_SIZE.width, Math.min(saved.width, home.width));
  const height = Math.max(MIN_SIZE.height, Math.min(saved.height, home.height));
  // Partly past the screen's edge: slid back onto it whole.
  const x = Math.max(home.x, Math.min(saved.x, home.x + home.width - width));
  const y = Math.max(home.y, Math.min(saved.y, home.y + home.height - height));
  return { x, y, width, height, maximized: saved.maximized };
}

/** The window's bounds file in the data folder; a damaged one is set aside and the defaults used. */
export function windowStateFile(dataDir: string): SettingsFile<WindowState | null> {
  return new SettingsFile(dataDir, 'window.json', windowStateSchema.nullable(), 'Window position file');
}

/** The part of a BrowserWindow this needs, so the tracking is testable without Electron. */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isMinimized(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/**
 * Saves the window's bounds a moment after it stops moving or resizing, and at once on close.
 * The normal (unmaximised) bounds are kept, so un-maximising after a restart goes back to them.
 */
export function trackWindowState(win: TrackedWindow, save: (s: WindowState) => unknown, setTimer: (fn: () => void, ms: number) => unknown = setTimeout, clearTimer: (t: unknown) => void = (t) => clearTimeout(t as NodeJS.Timeout)): void {
  let timer: unknown = null;
  const snapshot = (): WindowState | null => {
    if (win.isMinimized()) return null;
    const b = win.getNormalBounds();
    return { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() };
  };
  const saveNow = (): void => {
    const s = snapshot();
    if (s) save(s);
  };
  const later = (): void => {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(() => {
      timer = null;
      saveNow();
    }, 500);
  };
  for (const e of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(e, later);
  win.on('close', () => {
    if (timer !== null) clearTimer(timer);
    saveNow();
  });
}
