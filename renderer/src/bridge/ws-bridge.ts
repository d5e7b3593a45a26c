import { fail, type CommandResult } from '../../../shared/contract/result.ts';
import type { TerminalApi } from '../../../shared/contract/terminal-api.ts';
import { takeLaunchToken } from './launch-token.ts';

/** Must match the host's WS_PROTOCOL; the launch token is offered as the second subprotocol. */
const PROTOCOL = 'deltadesk';

/**
 * TerminalApi over the headless host's WebSocket. The per-launch token (from the URL fragment)
 * is offered as a subprotocol beside `deltadesk`; it is never a cookie or a query string.
 */
export function createWebSocketBridge(url = defaultUrl(), token: string | null = takeLaunchToken()): TerminalApi {
  const listeners = new Set<(bytes: Uint8Array) => void>();
  const pending = new Map<number, (r: CommandResult<unknown>) => void>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let retry = 0;

  const connect = (): void => {
    const ws = new WebSocket(url, token ? [PROTOCOL, token] : [PROTOCOL]);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      retry = 0;
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (e: MessageEvent) => {
      if (e.data instanceof ArrayBuffer) {
        const bytes = new Uint8Array(e.data);
        for (const l of listeners) l(bytes);
        return;
      }
      try {
        const msg = JSON.parse(String(e.data)) as { id: number | null; result: CommandResult<unknown> };
        if (msg.id !== null) {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        }
      } catch {
        // The host only sends JSON text and binary frames; anything else is ignored.
      }
    };
    ws.onclose = () => {
      socket = null;
      for (const [id, resolve] of pending) {
        resolve(fail('unavailable', 'connection to DeltaDesk host lost'));
        pending.delete(id);
      }
      setTimeout(connect, Math.min(5000, 250 * 2 ** retry++));
    };
  };
  connect();

  return {
    request: (name, payload) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (r: CommandResult<unknown>) => void);
        const message = JSON.stringify({ id, name, payload });
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else queue.push(message);
      }),
    onStream: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    // Frames drawn while the socket is down were for the old connection: nothing to report.
    drawn: (n) => {
      if (socket?.readyState === WebSocket.OPEN && Number.isSafeInteger(n) && n > 0) socket.send(JSON.stringify({ drawn: Math.min(n, 1_000) }));
    },
  };
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}
