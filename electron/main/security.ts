import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'deltadesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Window settings per DESIGN.md §6: isolated, sandboxed, no Node, no webviews. */
export function hardenedWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    disableBlinkFeatures: 'Auxclick',
    spellcheck: false,
  };
}

/** Every permission (camera, notifications from the page, HID, serial, USB…) is refused. */
export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Compares scheme and host by hand: WHATWG URL gives custom schemes such as app:// an opaque
 * origin ("null"), so `url.origin` cannot tell our page from any other.
 */
export function isAppUrl(url: string, allowedOrigin: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === allowedOrigin;
  } catch {
    return false;
  }
}

/** Navigation away from the app, new windows and webviews are all denied. */
export function hardenWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  allowedOrigin: string,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, allowedOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, allowedOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
