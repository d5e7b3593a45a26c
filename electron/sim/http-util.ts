import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';

/** Small HTTP helpers shared by the simulator's loopback servers. */
export const MAX_BODY = 64 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}

/**
 * The fault-injection endpoint both simulators expose (tests only): the `x-sim-control` header must
 * carry the launch token, the body is one fault command; a bad command or one that cannot apply
 * gets 400 with the reason.
 */
export async function answerControl<C>(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  token: string | undefined,
  parse: (value: unknown) => C | string,
  /** May return a promise: the answer waits for it (a price moved on chain is mined when 200 comes back). */
  apply: (cmd: C) => void | Promise<void>,
): Promise<void> {
  if (!token || req.headers['x-sim-control'] !== token) return void text(res, 401, 'Unauthorized');
  let cmd: C | string;
  try {
    cmd = parse(JSON.parse(body));
  } catch {
    cmd = 'body is not JSON';
  }
  if (typeof cmd === 'string') return void json(res, 400, { error: cmd });
  try {
    await apply(cmd);
  } catch (err) {
    return void json(res, 400, { error: (err as Error).message });
  }
  json(res, 200, { ok: true });
}

/** Routes WebSocket upgrades on `path` to `onSocket`; any other path is refused with 404. */
export function acceptWebSocketsOn(http: Server, wss: WebSocketServer, path: string, onSocket: (ws: WebSocket) => void): void {
  http.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, onSocket);
  });
}

/** A fault command's numeric field, or the reason it is not one in [min, max]. */
export function faultNumber(v: Record<string, unknown>, key: string, min: number, max: number): number | string {
  const x = v[key];
  return typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max ? x : `${key}: expected a number ${min}..${max}`;
}

/** The options simulators' `misquote` command: one option's quotes moved off the surface by vol points. */
export function parseMisquote(v: Record<string, unknown>): { fault: 'misquote'; instrument: string; volPoints: number } | string {
  const volPoints = faultNumber(v, 'volPoints', -50, 50);
  if (typeof volPoints === 'string') return volPoints;
  return typeof v.instrument === 'string' ? { fault: 'misquote', instrument: v.instrument, volPoints } : 'instrument: expected a string';
}
