import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { splitEnvelope } from '../border/command-router.ts';
import { contentSecurityPolicy } from '../border/csp.ts';
import { rawText } from '../border/ws-text.ts';
import { contentTypeFor, resolveStaticPath } from '../border/static-files.ts';
import { cookieValue, newLaunchToken, TOKEN_COOKIE, tokenMatches } from './token.ts';

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
  token?: string;
}

/** A page that cannot keep up has frames skipped rather than queued without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * The headless host's border: serves the built renderer on 127.0.0.1 and bridges TerminalApi over
 * a WebSocket. Every request needs the per-launch token (query once, then an HttpOnly cookie);
 * without it the answer is 401 and nothing else. The Host header must name this server (so a
 * DNS-rebinding page cannot reach it) and the WebSocket's Origin must be this server's.
 */
export class HeadlessServer {
  readonly token: string;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private port = 0;
  framesSkipped = 0;

  private readonly options: HeadlessServerOptions;

  constructor(options: HeadlessServerOptions) {
    this.options = options;
    this.token = options.token ?? newLaunchToken();
    this.http = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
    this.http.on('upgrade', (req, socket, head) => {
      if (!this.authorised(req) || new URL(req.url ?? '/', 'http://x').pathname !== '/ws' || !this.sameOrigin(req)) {
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
    return `${this.origin}/?token=${this.token}`;
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

  private authorised(req: IncomingMessage): boolean {
    if (!this.validHost(req)) return false;
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    return tokenMatches(this.token, query) || tokenMatches(this.token, cookieValue(req.headers.cookie, TOKEN_COOKIE));
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.authorised(req)) {
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
    if (url.searchParams.has('token')) {
      headers['set-cookie'] = `${TOKEN_COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private onSocket(ws: WebSocket): void {
    const unsubscribe = this.options.onFrame((bytes) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.framesSkipped++;
        return;
      }
      ws.send(bytes, { binary: true });
    });
    this.options.onStreamOpen?.();
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(rawText(data));
      } catch {
        ws.send(JSON.stringify({ id: null, result: fail('invalid-request', 'request is not JSON') }));
        return;
      }
      const id = (msg as { id?: unknown } | null)?.id;
      if (typeof id !== 'number') {
        ws.send(JSON.stringify({ id: null, result: fail('invalid-request', 'id: expected a number') }));
        return;
      }
      const envelope = splitEnvelope(msg);
      const answer = envelope ? this.options.route(envelope.name, envelope.payload) : Promise.resolve(fail('invalid-request', 'expected { id, name, payload }'));
      void answer.then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
      });
    });
  }
}
