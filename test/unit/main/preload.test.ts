import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, TERMINAL_API_GLOBAL, type TerminalApi } from '../../../shared/contract/terminal-api.ts';

const exposed: Record<string, unknown> = {};
const ipcListeners = new Map<string, (event: { ports: unknown[] }, ...args: unknown[]) => void>();
const invoke = vi.fn((_channel: string, _msg: unknown) => Promise.resolve({ ok: true, value: 1 }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke: (channel: string, msg: unknown) => invoke(channel, msg),
    on: (channel: string, l: (event: { ports: unknown[] }) => void) => ipcListeners.set(channel, l),
  },
}));

class FakePort {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  closed = false;
  posted: unknown[] = [];
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  close(): void {
    this.closed = true;
  }
  emit(data: unknown): void {
    this.onmessage?.({ data });
  }
}

beforeAll(async () => {
  await import('../../../electron/preload/index.ts');
});

describe('preload', () => {
  it('exposes only the TerminalApi verbs under one name', () => {
    expect(Object.keys(exposed)).toEqual([TERMINAL_API_GLOBAL]);
    expect(Object.keys(exposed[TERMINAL_API_GLOBAL] as object).sort()).toEqual(['drawn', 'onShowAlert', 'onStream', 'request']);
  });

  it('sends requests on the request channel as { name, payload }', async () => {
    const api = exposed[TERMINAL_API_GLOBAL] as TerminalApi;
    await api.request('market.instruments', {});
    expect(invoke).toHaveBeenCalledWith(IPC.request, { name: 'market.instruments', payload: {} });
  });

  it('delivers only frame bytes from the stream port, and unsubscribes', () => {
    const api = exposed[TERMINAL_API_GLOBAL] as TerminalApi;
    const got: unknown[][] = [];
    const off = api.onStream((...args) => got.push(args));
    const port = new FakePort();
    ipcListeners.get(IPC.streamPort)!({ ports: [port] });
    port.emit(new Uint8Array([1, 2, 3]));
    port.emit({ not: 'bytes' });
    expect(got).toEqual([[new Uint8Array([1, 2, 3])]]);
    off();
    port.emit(new Uint8Array([4]));
    expect(got).toHaveLength(1);
    // A reload hands over a new port; the old one is closed.
    const next = new FakePort();
    ipcListeners.get(IPC.streamPort)!({ ports: [next] });
    expect(port.closed).toBe(true);
    // Frames drawn go back on the current port as a count, nothing else.
    api.drawn!(3);
    api.drawn!(-1);
    api.drawn!(Number.NaN);
    expect(next.posted).toEqual([{ drawn: 3 }]);
    expect(port.posted).toEqual([]);
  });

  it('passes on which alert a clicked notification was about, and drops anything else', () => {
    const api = exposed[TERMINAL_API_GLOBAL] as TerminalApi;
    const got: unknown[] = [];
    const off = api.onShowAlert!((s) => got.push(s));
    const send = ipcListeners.get(IPC.showAlert)!;
    send({ ports: [] }, { key: 'liq-distance-pct|p1', target: { workspace: 'portfolio', figure: 'position:p1' }, extra: 'dropped' });
    send({ ports: [] }, { key: 'x', target: { workspace: 'file:///etc', figure: 'y' } });
    send({ ports: [] }, null);
    expect(got).toEqual([{ key: 'liq-distance-pct|p1', target: { workspace: 'portfolio', figure: 'position:p1' } }]);
    off();
    send({ ports: [] }, { key: 'k', target: { workspace: 'market', figure: 'venue:hyperliquid' } });
    expect(got).toHaveLength(1);
  });
});
