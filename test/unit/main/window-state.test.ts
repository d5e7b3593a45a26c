import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { placeWindow, trackWindowState, windowStateFile, type Rect, type WindowState } from '../../../electron/main/window-state.ts';

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 };
const monitor: Rect = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('the window opens where the trader left it', () => {
  it('restores saved bounds on the screen they were on, maximised if it was', () => {
    const saved: WindowState = { x: 1600, y: 40, width: 1900, height: 1100, maximized: true };
    expect(placeWindow(saved, [laptop, monitor], laptop)).toEqual({ ...saved });
  });

  it('puts a window from an unplugged monitor back on the main screen, centred at the default size', () => {
    const saved: WindowState = { x: 1600, y: 40, width: 1900, height: 1100, maximized: false };
    expect(placeWindow(saved, [laptop], laptop)).toEqual({ x: 0, y: 0, width: 1440, height: 875, maximized: false });
    // On a smaller monitor in its place, partly past the edges: slid and shrunk onto it whole.
    const smaller: Rect = { x: 1440, y: 0, width: 1920, height: 1050 };
    expect(placeWindow(saved, [laptop, smaller], laptop)).toEqual({ x: 1460, y: 0, width: 1900, height: 1050, maximized: false });
  });

  it('never opens larger than the screen, nor smaller than the minimum, nor with its title bar off the top', () => {
    expect(placeWindow({ x: 10, y: 10, width: 3000, height: 2000, maximized: false }, [laptop], laptop)).toMatchObject({ width: 1440, height: 875 });
    expect(placeWindow({ x: 10, y: 10, width: 300, height: 200, maximized: false }, [laptop], laptop)).toMatchObject({ width: 1024, height: 640 });
    expect(placeWindow({ x: 100, y: -200, width: 1200, height: 700, maximized: false }, [laptop], laptop)).toMatchObject({ x: 0, y: 0 });
  });

  it('opens at the default with no file, and with a damaged one (kept aside, said once)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deltadesk-window-'));
    expect((await windowStateFile(dir).load(null)).settings).toBeNull();
    writeFileSync(path.join(dir, 'window.json'), '{"x": "left"');
    const damaged = await windowStateFile(dir).load(null);
    expect(damaged.settings).toBeNull();
    expect(damaged.notice).toMatch(/Window position file .* is damaged/);
    await windowStateFile(dir).save({ x: 5, y: 6, width: 1300, height: 800, maximized: false });
    expect(JSON.parse(readFileSync(path.join(dir, 'window.json'), 'utf8'))).toEqual({ x: 5, y: 6, width: 1300, height: 800, maximized: false });
    expect((await windowStateFile(dir).load(null)).settings).toEqual({ x: 5, y: 6, width: 1300, height: 800, maximized: false });
  });

  it('saves once after moving stops and at once on close, keeping the unmaximised bounds; a minimised window saves nothing', () => {
    const listeners = new Map<string, () => void>();
    let bounds: Rect = { x: 1, y: 2, width: 1300, height: 800 };
    let maximized = false;
    let minimized = false;
    const win = { getNormalBounds: () => bounds, isMaximized: () => maximized, isMinimized: () => minimized, on: (e: string, l: () => void) => listeners.set(e, l) };
    const saved: WindowState[] = [];
    const timers: (() => void)[] = [];
    trackWindowState(win, (s) => saved.push(s), (fn) => timers.push(fn), () => timers.pop());
    listeners.get('move')!();
    bounds = { x: 50, y: 60, width: 1300, height: 800 };
    listeners.get('move')!();
    expect(timers).toHaveLength(1);
    timers.pop()!();
    expect(saved).toEqual([{ x: 50, y: 60, width: 1300, height: 800, maximized: false }]);
    maximized = true;
    listeners.get('close')!();
    expect(saved.at(-1)).toEqual({ x: 50, y: 60, width: 1300, height: 800, maximized: true });
    minimized = true;
    listeners.get('close')!();
    expect(saved).toHaveLength(2);
  });
});
