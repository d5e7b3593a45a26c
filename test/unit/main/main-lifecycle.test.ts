import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/*
 * Imports the real Electron entry against an `electron` test double and checks what it sets up:
 * sandbox on, app:// privileged before ready, hardened window, border registered, engine forked.
 */
const calls: string[] = [];
const appHandlers = new Map<string, (...a: unknown[]) => void>();
const windows: { options: Record<string, unknown>; loaded: string[] }[] = [];
const forks: { entry: string; messages: unknown[] }[] = [];
let resolveReady!: () => void;
// The user-data folder is real: main locks it before anything starts.
const userData = mkdtempSync(path.join(tmpdir(), 'dd-userdata-'));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { on: vi.fn(), postMessage: vi.fn(), isDestroyed: () => false, once: vi.fn() };
    record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      windows.push(this.record);
    }
    once = vi.fn();
    show = vi.fn();
    on = vi.fn();
    maximize = vi.fn();
    isMaximized = () => false;
    isMinimized = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1440, height: 900 });
    loadURL(url: string): Promise<void> {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    static getAllWindows = () => windows;
  }
  return {
    BrowserWindow,
    app: {
      enableSandbox: () => calls.push('enableSandbox'),
      on: (name: string, h: (...a: unknown[]) => void) => appHandlers.set(name, h),
      whenReady: () => new Promise<void>((r) => (resolveReady = r)),
      getVersion: () => '0.1.0',
      getPath: () => userData,
      requestSingleInstanceLock: () => {
        calls.push('single-instance');
        return true;
      },
      quit: vi.fn(),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => calls.push(`privileged:${schemes.map((s) => s.scheme).join()}`),
      handle: (scheme: string) => calls.push(`handle:${scheme}`),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => calls.push('permissions'),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
    dialog: { showErrorBox: (title: string) => calls.push(`error:${title}`) },
    ipcMain: { handle: (channel: string) => calls.push(`ipc:${channel}`) },
    powerMonitor: { on: (event: string) => calls.push(`power:${event}`), getSystemIdleTime: () => 0 },
    utilityProcess: {
      fork: (entry: string) => {
        const f = { entry, messages: [] as unknown[] };
        forks.push(f);
        return { on: vi.fn(), postMessage: (m: unknown) => f.messages.push(m), kill: vi.fn() };
      },
    },
    screen: {
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }],
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }),
    },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    MessageChannelMain: class {
      port1 = {};
      port2 = {};
    },
  };
});

beforeAll(async () => {
  await import('../../../electron/main/index.ts');
});

describe('Electron main entry', () => {
  it('turns the sandbox on and makes app:// privileged before ready', () => {
    expect(calls.slice(0, 2)).toEqual(['enableSandbox', 'privileged:app']);
    expect(appHandlers.has('web-contents-created')).toBe(true);
    expect(windows).toHaveLength(0);
  });

  it('on ready: hardens the session, serves app://, forks the engine, registers the border, opens a hardened window', async () => {
    resolveReady();
    await vi.waitFor(() => expect(forks).toHaveLength(1));
    // Only one DeltaDesk: the single-instance lock, and the data folder's lock file.
    expect(calls).toContain('single-instance');
    expect(existsSync(path.join(userData, 'deltadesk.lock'))).toBe(true);
    expect(calls).toEqual(expect.arrayContaining(['permissions', 'handle:app', 'ipc:deltadesk:request']));
    // Sleep and the OS screen lock lock the vault.
    expect(calls).toEqual(expect.arrayContaining(['power:suspend', 'power:lock-screen']));
    expect(forks).toHaveLength(1);
    expect(forks[0]!.entry).toMatch(/engine\.js$/);
    // Settings live in the app's user-data folder.
    expect(forks[0]!.messages[0]).toMatchObject({ type: 'start', boot: { mode: 'paper', dataDir: userData } });
    expect(windows).toHaveLength(1);
    expect(windows[0]!.loaded).toEqual(['app://deltadesk/index.html']);
    // No saved position yet: the default size, centred on the main screen's work area, with the app's icon.
    expect(windows[0]!.options).toMatchObject({ x: 240, y: 75, width: 1440, height: 900, minWidth: 1024, minHeight: 640 });
    expect(String((windows[0]!.options.icon as { path: string }).path)).toMatch(/renderer[\\/]icon\.png$/);
    expect(windows[0]!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String((windows[0]!.options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]index\.cjs$/);
  });
});
