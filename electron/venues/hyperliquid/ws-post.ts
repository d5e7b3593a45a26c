import { z } from 'zod';
import { OutcomeUnknown } from '../common/execution.ts';
import type { SignedEnvelope } from './exchange-client.ts';

/*
 * Signed actions over the market-data WebSocket (`{"method":"post","id":…,"request":{"type":
 * "action","payload":…}}`, venues.md §1.6): one connection already open and warm, so an order
 * does not pay for a TLS handshake. Answers are matched by id. When the socket is down at send
 * time the caller falls back to HTTP; once sent, a timeout or a drop leaves the outcome unknown
 * (the action may have been carried out) and nothing may be resent before the venue is asked.
 */

const postAnswer = z.object({
  id: z.number(),
  response: z.union([z.object({ type: z.literal('action'), payload: z.unknown() }), z.object({ type: z.literal('error'), payload: z.string() }), z.object({ type: z.literal('info'), payload: z.unknown() })]),
});

export class WsPoster {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly send: (frame: string) => boolean;
  private readonly connected: () => boolean;

  constructor(send: (frame: string) => boolean, connected: () => boolean) {
    this.send = send;
    this.connected = connected;
  }

  /** The venue's answer to the action, or null when the socket is not up (use HTTP). */
  action(envelope: SignedEnvelope, timeoutMs: number): Promise<unknown> | null {
    if (!this.connected()) return null;
    const id = this.nextId++;
    const frame = JSON.stringify({ method: 'post', id, request: { type: 'action', payload: envelope } });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new OutcomeUnknown(`Hyperliquid did not answer the action over the WebSocket within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      if (!this.send(frame)) {
        clearTimeout(timer);
        this.waiting.delete(id);
        // Not written to the socket at all: nothing reached the venue, HTTP may carry it.
        reject(new NotSent());
      }
    });
  }

  /** A `post` channel message; true when it answered one of ours. */
  answer(data: unknown): boolean {
    const parsed = postAnswer.safeParse(data);
    if (!parsed.success) return false;
    const w = this.waiting.get(parsed.data.id);
    if (!w) return false;
    clearTimeout(w.timer);
    this.waiting.delete(parsed.data.id);
    const r = parsed.data.response;
    if (r.type === 'error') w.reject(new Error(`Hyperliquid refused the request: ${r.payload.slice(0, 200)}`));
    else w.resolve(r.payload);
    return true;
  }

  /** The link dropped: every action still waiting may or may not have been carried out. */
  dropped(reason: string): void {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(new OutcomeUnknown(`the WebSocket dropped before Hyperliquid answered the action (${reason})`));
      this.waiting.delete(id);
    }
  }
}

/** The frame never left: safe to send the same action over HTTP. */
export class NotSent extends Error {
  override name = 'NotSent';
}
