import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import { createCommandRouter } from '../../electron/border/command-router.ts';
import { rawText } from '../../electron/venues/common/ws-text.ts';
import { HeadlessServer, MAX_IN_FLIGHT } from '../../electron/headless/server.ts';
import { handleRequest, registerIpcBorder } from '../../electron/main/ipc-border.ts';
import { APP_ORIGIN } from '../../electron/main/security.ts';
import { unusedVaultHandlers } from '../support/host-stubs.ts';
import { waitFor } from '../support/wait.ts';

/*
 * No input ends the host. Names and payloads of every shape — 30,000-deep arrays and objects,
 * huge strings, every JSON type, prototype names — go through both hosts' borders: the headless
 * host's WebSocket and Electron's IPC handler. Each gets an answer with a result, and the host
 * still answers a plain request afterwards. Per-socket limits keep a client that never reads
 * from holding the host's memory.
 */
const root = mkdtempSync(path.join(os.tmpdir(), 'dd-fuzz-border-'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>DeltaDesk</title>');
let engineInFlight = 0;
let engineMaxInFlight = 0;
let engineDelayMs = 0;
const candles = Array.from({ length: 3000 }, (_, i) => ({ time: i * 60_000, open: 97_000.5, high: 97_100.25, low: 96_900.75, close: 97_050.125, volume: 12.3456 }));
const route = createCommandRouter(
  { 'app.info': () => ({ name: 'DeltaDesk', version: '1.0.0', host: 'browser', mode: 'paper' }), 'app.keymap': () => ({ file: null, bindings: {}, errors: [] }), ...unusedVaultHandlers },
  async (name) => {
    engineInFlight++;
    engineMaxInFlight = Math.max(engineMaxInFlight, engineInFlight);
    if (engineDelayMs) await new Promise((r) => setTimeout(r, engineDelayMs));
    engineInFlight--;
    return { ok: true, value: name === 'market.candles' ? candles : [] };
  },
);
let server: HeadlessServer;
let unhandled = 0;
const onUnhandled = (): void => void unhandled++;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = new HeadlessServer({ rendererRoot: root, route, onFrame: () => () => undefined });
  await server.listen();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
});

function open(): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WsClient(`${server.origin.replace('http', 'ws')}/ws`, ['deltadesk', server.token], { origin: server.origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends raw text frames and collects the JSON answers, in order. */
async function exchange(ws: WsClient, frames: string[]): Promise<{ id: unknown; result: { ok: boolean; error?: { code: string; message: string } } }[]> {
  const answers: { id: unknown; result: { ok: boolean; error?: { code: string; message: string } } }[] = [];
  const listener = (data: Buffer, isBinary: boolean): void => {
    if (!isBinary) answers.push(JSON.parse(rawText(data)) as never);
  };
  ws.on('message', listener);
  for (const f of frames) ws.send(f);
  await waitFor(() => answers.length >= frames.length, `${frames.length} answers`, 20_000);
  ws.off('message', listener);
  return answers;
}

const DEPTH = 30_000;
const deepArrayJson = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
// 10,000 levels of objects is what fits in one 64 kB frame.
const deepObjectJson = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const hostile: [string, string][] = [
  ['a 30,000-deep array as the name', `{"id":1,"name":${deepArrayJson},"payload":{}}`],
  ['a 30,000-deep array as the payload', `{"id":2,"name":"app.info","payload":${deepArrayJson}}`],
  ['10,000-deep objects as the payload', `{"id":3,"name":"portfolio.ladder","payload":${deepObjectJson}}`],
  ['10,000-deep objects as the name', `{"id":4,"name":${deepObjectJson}}`],
  ['a number as the name', '{"id":5,"name":12,"payload":{}}'],
  ['null as the name', '{"id":6,"name":null}'],
  ['an object as the name', '{"id":7,"name":{"toString":"x"},"payload":{}}'],
  ['__proto__ as the name', '{"id":8,"name":"__proto__","payload":{}}'],
  ['constructor as the name', '{"id":9,"name":"constructor","payload":{}}'],
  ['toString as the name', '{"id":10,"name":"toString","payload":{}}'],
  ['a 60 kB name', `{"id":11,"name":"${'x'.repeat(60_000)}"}`],
  ['a 60 kB string payload', `{"id":12,"name":"vault.unlock","payload":{"passphrase":"${'p'.repeat(60_000)}"}}`],
  ['__proto__ in the payload', '{"id":13,"name":"portfolio.whatIf.remove","payload":{"__proto__":{"id":"x"},"id":null}}'],
  ['an array as the payload', '{"id":14,"name":"app.info","payload":[1,2,3]}'],
  ['a fractional id', '{"id":1.5,"name":"app.info","payload":{}}'],
  ['an id past 2^53', '{"id":1e300,"name":"app.info","payload":{}}'],
];

describe('no input ends the headless host', () => {
  it('answers every hostile frame with a result, then still serves app.info on the same socket', async () => {
    const ws = await open();
    const answers = await exchange(ws, hostile.map(([, f]) => f));
    expect(answers).toHaveLength(hostile.length);
    for (const a of answers) {
      expect(a.result.ok).toBe(false);
      expect(a.result.error!.message.length).toBeGreaterThan(5);
      expect(a.result.error!.message).not.toMatch(/RangeError|Maximum call stack|\[object/);
    }
    const [info] = await exchange(ws, ['{"id":99,"name":"app.info","payload":{}}']);
    expect(info).toMatchObject({ id: 99, result: { ok: true } });
    ws.close();
    expect(unhandled).toBe(0);
  });

  it('a frame over 64 kB closes that socket only; the host goes on', async () => {
    const ws = await open();
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send(`{"id":1,"name":"app.info","payload":{"x":"${'y'.repeat(70_000)}"}}`);
    expect(await closed).toBe(1009);
    const again = await open();
    expect((await exchange(again, ['{"id":2,"name":"app.info","payload":{}}']))[0]).toMatchObject({ result: { ok: true } });
    again.close();
  });

  it('random names and payloads of every JSON shape, 400 of them, each answered', async () => {
    const ws = await open();
    const json = fc.jsonValue({ maxDepth: 6 });
    const name = fc.oneof(json, fc.constantFrom('app.info', 'vault.status', 'market.candles', 'portfolio.ladder', 'vault.importKey', 'hasOwnProperty', '__proto__'));
    const frames = fc.sample(fc.record({ id: fc.integer(), name, payload: json }, { requiredKeys: ['id'] }), { numRuns: 400, seed: 11 }).map((m) => JSON.stringify(m));
    const answers = await exchange(ws, frames);
    expect(answers).toHaveLength(400);
    for (const a of answers) expect(typeof a.result.ok).toBe('boolean');
    ws.close();
    expect(unhandled).toBe(0);
  });
});

describe('bounded resources per client', () => {
  it(`caps requests in flight at ${MAX_IN_FLIGHT} per socket and refuses the rest`, async () => {
    engineDelayMs = 30;
    engineMaxInFlight = 0;
    const ws = await open();
    const frames = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: i, name: 'venues.status', payload: {} }));
    const answers = await exchange(ws, frames);
    engineDelayMs = 0;
    expect(engineMaxInFlight).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    const refused = answers.filter((a) => a.result.error?.code === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.result.error!.message).toMatch(/too many requests at once/);
    ws.close();
  });

  it('a socket that never reads its answers is closed with a reason instead of buffering without bound', async () => {
    const closedBefore = server.socketsClosedForLimits;
    const ws = await open();
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    // Stop reading: the answers (200 kB of candles each) pile up on the host's side.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 2000; i++) ws.send(JSON.stringify({ id: i, name: 'market.candles', payload: { instrumentId: 'hyperliquid:BTC-PERP', timeframe: '1m' } }));
    await waitFor(() => server.socketsClosedForLimits > closedBefore, 'the host closing the stuck socket', 20_000);
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toEqual({ code: 1008, reason: 'answers are not being read' });
    const fresh = await open();
    expect((await exchange(fresh, ['{"id":1,"name":"app.info","payload":{}}']))[0]).toMatchObject({ result: { ok: true } });
    fresh.close();
  });
});

describe('no input makes the Electron IPC handler throw', () => {
  const appFrame = { senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } } as never;
  const deepArray = (): unknown => {
    let v: unknown = [];
    for (let i = 0; i < DEPTH; i++) v = [v];
    return v;
  };
  const deepObject = (): unknown => {
    let v: unknown = {};
    for (let i = 0; i < DEPTH; i++) v = { a: v };
    return v;
  };

  it('answers hostile envelopes through the registered handler with a result', async () => {
    let handler: ((event: unknown, message: unknown) => Promise<unknown>) | null = null;
    registerIpcBorder({ handle: (_c: string, h: never) => void (handler = h) }, APP_ORIGIN, route);
    const throwingGetter = { get name(): string { throw new Error('boom'); } };
    const messages: unknown[] = [
      { name: deepArray(), payload: {} },
      { name: 'app.info', payload: deepArray() },
      { name: 'portfolio.ladder', payload: deepObject() },
      { name: deepObject() },
      { name: Symbol('x') },
      { name: 10n },
      { name: 'x'.repeat(1_000_000) },
      throwingGetter,
      { name: 'app.info', payload: new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } }) },
      null,
      [],
      'app.info',
    ];
    for (const m of messages) {
      const answer = (await handler!(appFrame, m)) as { ok: boolean; error?: { message: string } };
      expect(answer.ok).toBe(false);
      expect(answer.error!.message).not.toMatch(/Maximum call stack/);
    }
    expect(await handleRequest(appFrame, { name: 'app.info', payload: {} }, APP_ORIGIN, route)).toMatchObject({ ok: true });
  });

  it('random envelopes: 400 of them, each a result, none a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ withObjectString: true, withNullPrototype: true, withBigInt: true, withMap: true }), fc.anything(), async (name, payload) => {
        const answer = await handleRequest(appFrame, { name, payload }, APP_ORIGIN, route);
        expect(typeof answer.ok).toBe('boolean');
      }),
      { numRuns: 400, seed: 3 },
    );
  });
});
