import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, nativeImage, powerMonitor, protocol, screen, session } from 'electron';
import { APP_VERSION } from '../border/app-version.ts';
import { createCommandRouter } from '../border/command-router.ts';
import { loadKeymapFile } from '../border/keymap-file.ts';
import { handleAppProtocol, registerAppScheme } from './app-protocol.ts';
import { openUsbTransport } from '../vault/ledger/ledger-modules.ts';
import { deribitEndpointOf } from '../border/deribit-endpoint.ts';
import { deriveEndpointOf } from '../border/derive-endpoint.ts';
import { aaveMarketOf } from '../border/aave-endpoint.ts';
import { VaultHost } from '../vault/vault-host.ts';
import { lockDataFolder, type InstanceLock } from '../storage/instance-lock.ts';
import { EngineHost } from './engine-host.ts';
import { notifyAlert } from './alert-notifier.ts';
import { NetworkSettings } from '../border/network-settings.ts';
import { bootWithNetworks, networkHandlers } from '../border/network-handlers.ts';
import type { EngineBoot } from '../engine/host-protocol.ts';
import { registerIpcBorder } from './ipc-border.ts';
import { MIN_SIZE, placeWindow, trackWindowState, windowStateFile, type WindowState } from './window-state.ts';
import { APP_ORIGIN, hardenedWebPreferences, hardenSession, hardenWebContents } from './security.ts';
import { LoopDelayMonitor } from '../../shared/perf/loop-delay.ts';
import { allPaper } from '../../shared/domain/networks.ts';

/** How late this process's event loop runs (app.health): what every command and frame waits behind. */
const hostLoop = new LoopDelayMonitor();
hostLoop.start();

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '../renderer');

app.enableSandbox();
registerAppScheme(protocol);

// One DeltaDesk: a second launch focuses the first window instead of starting a second engine
// that would trade the same account. The data-folder lock below also holds off a headless host.
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, APP_ORIGIN));

const dataDir = app.getPath('userData');
const baseBoot: EngineBoot = { mode: 'paper', seed: Date.now() % 2 ** 31, dataDir };
const networks = new NetworkSettings(dataDir);
const engine = new EngineHost(path.join(here, 'engine.js'), baseBoot);
const vault = new VaultHost({
  dataDir,
  network: () => networks.current.hyperliquid,
  // Where the running engine's Hyperliquid points (the simulator listens on new ports after a restart).
  hyperliquidHttpUrl: async () => (await engine.current()).endpoints.hyperliquid.httpUrl,
  // Deribit's orders go out on main's own connection, to wherever the running engine's Deribit is.
  deribit: async () => deribitEndpointOf(await engine.current()),
  // Derive's orders are signed here with the session key and sent on main's own line.
  derive: async () => deriveEndpointOf(await engine.current()),
  aave: async () => aaveMarketOf(await engine.current()),
  openLedger: openUsbTransport,
  systemIdleSeconds: () => powerMonitor.getSystemIdleTime(),
  canRemember: false,
  passphraseWorker: new URL('./passphrase-worker.js', import.meta.url),
});
// The engine asks main to sign; main reads the action, guards it and signs with the venue's agent.
engine.setSigner((request) => vault.signing.signForEngine(request));
// Critical alerts reach the desktop even while the window is hidden or minimised.
engine.onAlert((alert) => notifyAlert(alert, () => BrowserWindow.getAllWindows()[0] ?? null));

const windowState = windowStateFile(dataDir);
let savedWindow: WindowState | null = null;

function createWindow(): void {
  // Where the trader left it, if that still fits a connected screen.
  const place = placeWindow(savedWindow, screen.getAllDisplays().map((d) => d.workArea), screen.getPrimaryDisplay().workArea);
  const win = new BrowserWindow({
    x: place.x,
    y: place.y,
    width: place.width,
    height: place.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    backgroundColor: '#0b0e13',
    title: 'DeltaDesk',
    // Linux takes the window's icon from here; macOS and Windows from the packaged app's.
    icon: nativeImage.createFromPath(path.join(rendererRoot, 'icon.png')),
    show: false,
    webPreferences: hardenedWebPreferences(path.join(here, '../preload/index.cjs')),
  });
  trackWindowState(win, (s) => {
    savedWindow = s;
    void windowState.save(s);
  });
  win.once('ready-to-show', () => {
    if (place.maximized) win.maximize();
    win.show();
  });
  win.webContents.on('did-finish-load', () => engine.attachWindow(win.webContents));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

let folderLock: InstanceLock | null = null;

void app.whenReady().then(async () => {
  try {
    folderLock = await lockDataFolder(dataDir, 'desktop app');
  } catch (err) {
    dialog.showErrorBox('DeltaDesk is already running', (err as Error).message);
    app.quit();
    return;
  }
  hardenSession(session.defaultSession);
  handleAppProtocol(protocol, rendererRoot);
  await networks.load();
  savedWindow = (await windowState.load(null)).settings;
  engine.useBoot(bootWithNetworks(baseBoot, networks));
  engine.start();
  void vault.start();
  // Away from the desk means locked: sleep and the OS screen lock lock the vault at once.
  powerMonitor.on('suspend', () => vault.lockNow('the computer went to sleep'));
  powerMonitor.on('lock-screen', () => vault.lockNow('the screen was locked'));
  const route = createCommandRouter(
    {
      'app.info': () => ({ name: 'DeltaDesk', version: APP_VERSION, host: 'electron', mode: allPaper(networks.current) ? 'paper' : 'live' }),
      'app.keymap': () => loadKeymapFile(dataDir),
      'app.health': () => ({ engine: engine.health, networks: networks.current, loop: hostLoop.stats() }),
      ...networkHandlers(networks, engine, () => bootWithNetworks(baseBoot, networks)),
      ...vault.handlers(),
    },
    (name, payload) => engine.request(name, payload),
  );
  registerIpcBorder(ipcMain, APP_ORIGIN, route);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  vault.stop();
  engine.stop();
  void folderLock?.release();
});
