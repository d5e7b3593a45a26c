import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import { createCommandRouter } from '../../electron/border/command-router.ts';
import { HeadlessServer } from '../../electron/headless/server.ts';
import { waitFor } from '../support/wait.ts';
import { unusedVaultHandlers } from '../support/host-stubs.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'dd-headless-'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>DeltaDesk</title>');
const frameListeners = new Set<(b: Uint8Array) => void>();
let server: HeadlessServer;
let url: string;
let streamOpens = 0;
const noKeymap = { file: null, bindings: {}, errors: [] };

beforeAll(async () => {
  server = new HeadlessServer({
    rendererRoot: root,
    route: createCommandRouter({ 'app.info': () => ({ name: 'DeltaDesk', version: '1.0.0', host: 'browser', mode: 'paper' }), 'app.keymap': () => noKeymap, ...unusedVaultHandlers }, () =>
      Promise.resolve({ ok: true, value: [] }),
    ),
    onFrame: (l) => {
      frameListeners.add(l);
      return () => frameListeners.delete(l);
    },
    onStreamOpen: () => streamOpens++,
  });
  url = await server.listen();
});
afterAll(() => server.close());

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.origin}${pathAndQuery}`, { headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function socket(headers: Record<string, string>, protocols: string[] = ['deltadesk', server.token], path = '/ws'): Promise<WsClient | number> {
  return new Promise((resolve) => {
    const ws = new WsClient(`${server.origin.replace('http', 'ws')}${path}`, protocols, { headers });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

describe('headless host border', () => {
  it('prints the token in the fragment only, serves static files without it, and never sets a cookie', async () => {
    expect(url).toBe(`${server.origin}/#token=${server.token}`);
    const first = await get('/');
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(String(first.headers['content-security-policy'])).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:/);
    expect((await get(`/?token=${server.token}`)).headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(401);
    expect(await socket({ origin: server.origin, host: 'evil.example:80' })).toBe(401);
  });

  it('bridges commands over the WebSocket for the right origin only', async () => {
    const origin = server.origin;
    expect(await socket({ origin: 'https://evil.example' })).toBe(401);
    expect(await socket({ origin }, ['deltadesk'])).toBe(401);
    expect(await socket({ origin }, ['deltadesk', 'x'.repeat(server.token.length)])).toBe(401);
    expect(await socket({ origin }, [server.token, 'deltadesk'])).toBe(401);
    // The old ways in are closed: a query token or a cookie opens nothing.
    expect(await socket({ origin }, [], `/ws?token=${server.token}`)).toBe(401);
    expect(await socket({ origin, cookie: `deltadesk_token=${server.token}` }, [])).toBe(401);
    const opensBefore = streamOpens;
    const ws = (await socket({ origin })) as WsClient;
    expect(ws.protocol).toBe('deltadesk');
    // Refused sockets never asked for state; the accepted page did, once.
    await waitFor(() => streamOpens === opensBefore + 1, 'the host asking the engine for its whole state');
    const answers: unknown[] = [];
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? frames.push(data) : answers.push(JSON.parse(data.toString()))));
    ws.send(JSON.stringify({ id: 1, name: 'app.info', payload: {} }));
    ws.send('not json');
    ws.send(JSON.stringify({ name: 'app.info' }));
    ws.send(JSON.stringify({ id: 2, name: 'market.candles', payload: { timeframe: '1m' } }));
    await waitFor(() => answers.length === 4, 'four answers');
    expect(answers).toEqual(
      expect.arrayContaining([
        { id: 1, result: { ok: true, value: { name: 'DeltaDesk', version: '1.0.0', host: 'browser', mode: 'paper' } } },
        { id: null, result: { ok: false, error: { code: 'invalid-request', message: 'request is not JSON' } } },
        { id: null, result: { ok: false, error: { code: 'invalid-request', message: 'id: expected a whole number' } } },
      ]),
    );
    const bad = answers.find((a) => (a as { id: unknown }).id === 2) as { result: { error: { message: string } } };
    expect(bad.result.error.message).toMatch(/instrumentId/);
    for (const l of frameListeners) l(new Uint8Array([1, 2, 3]));
    await waitFor(() => frames.length === 1, 'a binary frame');
    expect([...frames[0]!]).toEqual([1, 2, 3]);
    ws.close();
  });
});
