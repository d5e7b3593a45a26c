import { describe, expect, it, vi } from 'vitest';
import { createCommandRouter } from '../../../electron/border/command-router.ts';
import { handleRequest, registerIpcBorder } from '../../../electron/main/ipc-border.ts';
import { APP_ORIGIN } from '../../../electron/main/security.ts';
import { IPC } from '../../../shared/contract/terminal-api.ts';
import { unusedVaultHandlers } from '../../support/host-stubs.ts';

const frame = (url: string, parent: object | null = null) => ({ senderFrame: { url, parent } }) as never;
const appFrame = frame(`${APP_ORIGIN}/index.html`);
const engineCalls: string[] = [];
const route = createCommandRouter(
  { 'app.info': () => ({ name: 'DeltaDesk', version: '1.0.0', host: 'electron', mode: 'paper' }), 'app.keymap': () => ({ file: null, bindings: {}, errors: [] }), ...unusedVaultHandlers },
  (name) => {
    engineCalls.push(name);
    return Promise.resolve({ ok: true, value: [] });
  },
);

describe('IPC border in main', () => {
  it('registers exactly one request handler on the request channel', () => {
    const ipcMain = { handle: vi.fn() };
    registerIpcBorder(ipcMain, APP_ORIGIN, route);
    expect(ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(ipcMain.handle.mock.calls[0]![0]).toBe(IPC.request);
  });

  it('serves the app window', async () => {
    expect(await handleRequest(appFrame, { name: 'app.info', payload: {} }, APP_ORIGIN, route)).toMatchObject({ ok: true, value: { host: 'electron' } });
  });

  it('refuses foreign senders: other origins, sub-frames, missing frames', async () => {
    engineCalls.length = 0;
    const foreign = [
      frame('https://evil.example/index.html'),
      frame('file:///etc/passwd'),
      frame(`${APP_ORIGIN}/index.html`, { url: `${APP_ORIGIN}/` }),
      { senderFrame: null } as never,
      frame('not a url'),
    ];
    for (const event of foreign) {
      const r = await handleRequest(event, { name: 'market.instruments', payload: {} }, APP_ORIGIN, route);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(engineCalls).toEqual([]);
  });

  it('rejects invalid payloads with a clear error naming the field', async () => {
    const r = await handleRequest(appFrame, { name: 'market.candles', payload: { instrumentId: 'hyperliquid:BTC-PERP', timeframe: 7 } }, APP_ORIGIN, route);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    if (!r.ok) expect(r.error.message).toContain('timeframe');
    expect(await handleRequest(appFrame, 'market.instruments', APP_ORIGIN, route)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await handleRequest(appFrame, [1, 2], APP_ORIGIN, route)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});
