import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, hardenedWebPreferences, hardenSession, hardenWebContents } from '../../../electron/main/security.ts';

function fakeContents() {
  const handlers = new Map<string, (event: { preventDefault: () => void }, url?: string) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  return {
    on: vi.fn((name: string, h: (event: { preventDefault: () => void }, url?: string) => void) => handlers.set(name, h)),
    setWindowOpenHandler: vi.fn((h: (d: { url: string }) => { action: string }) => (openHandler = h)),
    fire(name: string, url?: string): boolean {
      const event = { preventDefault: vi.fn() };
      handlers.get(name)!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

describe('window hardening', () => {
  it('isolates and sandboxes the renderer with no Node', () => {
    const p = hardenedWebPreferences('/app/preload/index.cjs');
    expect(p).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });

  it('denies navigation away from the app, new windows and webviews', () => {
    const c = fakeContents();
    hardenWebContents(c as never, APP_ORIGIN);
    expect(c.fire('will-navigate', 'https://phish.example/login')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.fire('will-redirect', 'https://phish.example/')).toBe(true);
    expect(c.fire('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(c.fire('will-attach-webview')).toBe(true);
    expect(c.open('https://example.com')).toEqual({ action: 'deny' });
    expect(c.open(`${APP_ORIGIN}/index.html`)).toEqual({ action: 'deny' });
  });

  it('refuses every permission and device request', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() };
    hardenSession(session);
    const cb = vi.fn();
    (session.setPermissionRequestHandler.mock.calls[0]![0] as (...a: unknown[]) => void)(null, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect((session.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean)()).toBe(false);
    expect((session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean)()).toBe(false);
  });
});

describe('origin check', () => {
  it('tells app://deltadesk from look-alikes even though URL gives custom schemes an opaque origin', async () => {
    const { isAppUrl } = await import('../../../electron/main/security.ts');
    expect(isAppUrl('app://deltadesk/index.html', APP_ORIGIN)).toBe(true);
    expect(isAppUrl('app://deltadesk.evil/index.html', APP_ORIGIN)).toBe(false);
    expect(isAppUrl('app://evil/index.html', APP_ORIGIN)).toBe(false);
    expect(isAppUrl('https://deltadesk/index.html', APP_ORIGIN)).toBe(false);
    expect(isAppUrl('app://user@deltadesk/', APP_ORIGIN)).toBe(true);
  });
});
