import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HyperliquidSimServer } from '../../electron/sim/hyperliquid/server.ts';
import { SimMarket } from '../../electron/sim/sim-market.ts';
import { waitFor } from '../support/wait.ts';

/** The simulator must speak the venue's wire format, including its errors, or paper mode lies. */
let server: HyperliquidSimServer;
let httpUrl: string;
let wsUrl: string;

beforeAll(async () => {
  server = new HyperliquidSimServer({ market: new SimMarket({ seed: 5, now: Date.now(), historyMs: 3_600_000 }), controlToken: 'x'.repeat(24), idleCloseMs: 800 });
  ({ httpUrl, wsUrl } = await server.listen());
});
afterAll(() => server.close());

const info = (body: unknown) => fetch(`${httpUrl}/info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

function connect(): Promise<{ ws: WebSocket; frames: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl);
    const frames: string[] = [];
    ws.onmessage = (e) => frames.push(String(e.data));
    ws.onopen = () => resolve({ ws, frames });
    ws.onerror = () => reject(new Error('ws failed'));
  });
}

describe('Hyperliquid-wire simulator: /info', () => {
  it('answers meta, metaAndAssetCtxs, allMids and l2Book with decimal strings', async () => {
    const meta = (await (await info({ type: 'meta' })).json()) as { universe: { name: string; szDecimals: number }[] };
    expect(meta.universe.map((u) => u.name)).toEqual(['BTC', 'ETH']);
    const [, ctxs] = (await (await info({ type: 'metaAndAssetCtxs' })).json()) as [unknown, Record<string, unknown>[]];
    expect(ctxs[0]).toMatchObject({ funding: '0.0000125' });
    expect(ctxs[0]!.markPx).toMatch(/^\d+\.\d+$/);
    const mids = (await (await info({ type: 'allMids' })).json()) as Record<string, string>;
    expect(Object.keys(mids)).toEqual(['BTC', 'ETH']);
    const book = (await (await info({ type: 'l2Book', coin: 'ETH' })).json()) as { levels: [{ px: string }[], unknown[]] };
    expect(book.levels[0]).toHaveLength(20);
    expect(book.levels[0][0]!.px).toMatch(/^\d+\.\d$/);
    expect(await (await info({ type: 'l2Book', coin: 'NOPE' })).json()).toBeNull();
  });

  it('answers 422 text/plain to bodies it cannot deserialize, like the venue', async () => {
    for (const body of ['{not json', { type: 'noSuchType' }, { type: 'l2Book' }]) {
      const res = await info(body);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      expect(await res.text()).toBe('Failed to deserialize the JSON body into the target type');
    }
  });

  it('guards the fault endpoint with its token', async () => {
    const res = await fetch(`${httpUrl}/_sim/control`, { method: 'POST', body: JSON.stringify({ fault: 'drop' }) });
    expect(res.status).toBe(401);
    const bad = await fetch(`${httpUrl}/_sim/control`, { method: 'POST', headers: { 'x-sim-control': 'x'.repeat(24) }, body: JSON.stringify({ fault: 'stall', ms: -1 }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/ms: expected a number/);
  });
});

describe('Hyperliquid-wire simulator: WebSocket', () => {
  it('greets, acks subscriptions with the normalised echo, pushes data, answers ping', async () => {
    const { ws, frames } = await connect();
    ws.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'l2Book', coin: 'BTC', junk: 1 } }));
    ws.send(JSON.stringify({ method: 'ping' }));
    await waitFor(() => frames.some((f) => f.includes('"channel":"l2Book"')) && frames.includes('{"channel":"pong"}'), 'book and pong');
    expect(frames[0]).toBe('Websocket connection established.');
    const ack = JSON.parse(frames.find((f) => f.includes('subscriptionResponse'))!) as { data: { subscription: Record<string, unknown> } };
    expect(ack.data.subscription).toEqual({ type: 'l2Book', coin: 'BTC', nSigFigs: null, mantissa: null });
    ws.close();
  });

  it('sends the venue error strings for duplicate, invalid and unknown requests', async () => {
    const { ws, frames } = await connect();
    const sub = { type: 'trades', coin: 'ETH' };
    ws.send(JSON.stringify({ method: 'subscribe', subscription: sub }));
    ws.send(JSON.stringify({ method: 'subscribe', subscription: sub }));
    ws.send(JSON.stringify({ method: 'subscribe', subscription: { type: 'l2Book', coin: 'DOGE' } }));
    ws.send(JSON.stringify({ method: 'unsubscribe', subscription: { type: 'allMids' } }));
    await waitFor(() => frames.filter((f) => f.includes('"channel":"error"')).length >= 3, 'three errors');
    const errors = frames.filter((f) => f.includes('"channel":"error"')).map((f) => (JSON.parse(f) as { data: string }).data);
    expect(errors).toEqual([
      'Already subscribed: {"type":"trades","coin":"ETH"}',
      'Invalid subscription {"type":"l2Book","coin":"DOGE"}',
      'Already unsubscribed: {"type":"allMids"}',
    ]);
    ws.close();
  });

  it('closes a connection it has sent nothing to for the idle limit', async () => {
    const { ws } = await connect();
    const closed = await new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
    expect(closed).toBe(1000);
  });
});
