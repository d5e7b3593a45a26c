import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { safeRoute, splitEnvelope } from '../border/command-router.ts';
import { contentSecurityPolicy } from '../border/csp.ts';
import { rawText } from '../venues/common/ws-text.ts';
import { contentTypeFor, resolveStaticPath } from '../border/static-files.ts';
import { newLaunchToken, tokenMatches } from './token.ts';
import { FrameFanout, type FanoutPage } from './frame-fanout.ts';
import { drawnCount } from '../../shared/stream/frame-credit.ts';

export interface HeadlessServerOptions {
  rendererRoot: string;
  port?: number;
  route: (name: unknown, payload: unknown) => Promise<CommandResult<unknown>>;
  /** Frames from the engine; the server fans them out to every connected page. */
  onFrame: (listener: (bytes: Uint8Array) => void) => () => void;
  /**
   * A page's stream opened. Frames carry changes only, so the host asks the engine for its whole
   * state (in Electron each window load attaches its own stream and gets it that way).
   */
  onStreamOpen?: () => void;
  /** The pages drew `n` more frames: the engine's credit (frame-aligned publishing). */
  onDrawn?: (n: number) => void;
  token?: string;
}

/**
 * A safety net under the credit flow: a socket this far behind has frames skipped (and is owed the
 * whole state) rather than queued without bound.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_REQUEST_BYTES = 64 * 1024;
/**
 * Per socket: requests answered at once, and bytes of answers the page has not read yet. A page
 * past either is not ours or is stuck; it gets a refusal, then the socket is closed with a reason,
 * so one client can never hold the host's memory.
 */
export const MAX_IN_FLIGHT = 64;
export const MAX_UNREAD_ANSWER_BYTES = 16 * 1024 * 1024;
/** The WebSocket subprotocol the page offers first; the launch token is the second. */
export const WS_PROTOCOL = 'deltadesk';

/**
 * The headless host's border: serves the built renderer on 127.0.0.1 and bridges TerminalApi over
 * a WebSocket.
 *
 * The per-launch token is printed in the URL's fragment, which a browser never sends; the page
 * takes it from there and offers it as a WebSocket subprotocol. It never travels as a cookie:
 * cookies ignore ports, so the browser would hand it to any other server on 127.0.0.1. Static
 * files carry no data and need no token; the socket, which carries everything, needs it. The
 * Host header must name this server (so a DNS-rebinding page cannot reach it) and the socket's
 * Origin must be this server's.
 */
export class HeadlessServer {
  readonly token: string;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private port = 0;
  private readonly fanout: FrameFanout;
  /** Sockets closed for exceeding a per-client limit (for the tests and the log). */
  socketsClosedForLimits = 0;

  private readonly options: HeadlessServerOptions;

  constructor(options: HeadlessServerOptions) {
    this.options = options;
    this.token = options.token ?? newLaunchToken();
    this.fanout = new FrameFanout(
      (n) => options.onDrawn?.(n),
      () => options.onStreamOpen?.(),
    );
    options.onFrame((bytes) => this.fanout.frame(bytes));
    this.http = createServer((req, res) => void this.onHttp(req, res).catch(() => res.destroy()));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES, handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false) });
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.validHost(req) || new URL(req.url ?? '/', 'http://x').pathname !== '/ws' || !this.sameOrigin(req) || !this.tokenOffered(req)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.port = (this.http.address() as AddressInfo).port;
    return `${this.origin}/#token=${this.token}`;
  }

  /** Frames a page did not get because it had stopped drawing or its socket was backed up. */
  get framesSkipped(): number {
    return this.fanout.framesSkipped;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private validHost(req: IncomingMessage): boolean {
    const host = req.headers.host;
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`;
  }

  private sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    return origin === `http://127.0.0.1:${this.port}` || origin === `http://localhost:${this.port}`;
  }

  /** `Sec-WebSocket-Protocol: deltadesk, <token>`, nothing else. */
  private tokenOffered(req: IncomingMessage): boolean {
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    return offered.length === 2 && offered[0] === WS_PROTOCOL && tokenMatches(this.token, offered[1]);
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.validHost(req)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'content-length': '12' });
      res.end('Unauthorized');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const file = resolveStaticPath(this.options.rendererRoot, url.pathname);
    let body: Buffer;
    try {
      if (!file) throw new Error('outside root');
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': contentTypeFor(file),
      'content-security-policy': contentSecurityPolicy([`ws://127.0.0.1:${this.port}`, `ws://localhost:${this.port}`]),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private onSocket(ws: WebSocket): void {
    const page: FanoutPage = {
      send: (bytes) => {
        // A closing socket is not a page falling behind: its close handler removes it.
        if (ws.readyState !== ws.OPEN) return true;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return false;
        ws.send(bytes, { binary: true });
        return true;
      },
    };
    const unsubscribe = this.fanout.add(page);
    this.options.onStreamOpen?.();
    let inFlight = 0;
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    const answer = (id: number | null, result: CommandResult<unknown>): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_UNREAD_ANSWER_BYTES) {
        this.socketsClosedForLimits++;
        ws.close(1008, 'answers are not being read');
        return;
      }
      ws.send(JSON.stringify({ id, result }));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(rawText(data));
      } catch {
        answer(null, fail('invalid-request', 'request is not JSON'));
        return;
      }
      // The page drew frames: `{ drawn: n }`, no id and no answer.
      const drawn = drawnCount(msg);
      if (drawn !== null && (msg as { id?: unknown }).id === undefined) {
        this.fanout.drawn(page, drawn);
        return;
      }
      const id = (msg as { id?: unknown } | null)?.id;
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
        answer(null, fail('invalid-request', 'id: expected a whole number'));
        return;
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        answer(id, fail('refused', `too many requests at once (at most ${MAX_IN_FLIGHT}); wait for answers`));
        return;
      }
      const envelope = splitEnvelope(msg);
      if (!envelope) {
        answer(id, fail('invalid-request', 'expected { id, name, payload }'));
        return;
      }
      inFlight++;
      // The router answers every input with a result; anything that still escapes becomes one.
      safeRoute(this.options.route, envelope.name, envelope.payload).then((result) => {
        inFlight--;
        answer(id, result);
      }, () => undefined);
    });
  }
}
