import { isErrorCode, TerminalError } from '../../../shared/contract/result.ts';
import type { EngineToHost, HyperliquidSignRequest, SignAnswer, Signed, SignRequest } from '../host-protocol.ts';

/** Main said no (the budget, a locked vault, no agent): the reason is the trader's to read. */
export class SignRefused extends TerminalError {
  override name = 'SignRefused';
  constructor(code: string, message: string) {
    super(isErrorCode(code) ? code : 'internal', message);
  }
}

/**
 * The engine's half of signing through main: each `sign` carries a sequence number, the answer
 * comes back as `sign-result` with the same number. The engine never holds a key; when the host
 * link drops (main restarting us), every signature still waiting is refused, never assumed.
 */
export class SignClient {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (s: SignAnswer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly post: (m: EngineToHost) => void;
  private readonly timeoutMs: number;

  constructor(post: (m: EngineToHost) => void, timeoutMs = 30_000) {
    this.post = post;
    this.timeoutMs = timeoutMs;
  }

  sign(request: HyperliquidSignRequest): Promise<Signed>;
  sign(request: SignRequest): Promise<SignAnswer>;
  sign(request: SignRequest): Promise<SignAnswer> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new SignRefused('unavailable', `main did not answer the signature request within ${this.timeoutMs / 1000} s; nothing was sent`));
      }, this.timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.post({ type: 'sign', id, request });
    });
  }

  /** Main's answer; an id we are not waiting for (late, after a timeout) is dropped. */
  answer(id: number, result: { ok: true; value: SignAnswer } | { ok: false; error: { code: string; message: string } }): void {
    const w = this.waiting.get(id);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(id);
    if (result.ok) w.resolve(result.value);
    else w.reject(new SignRefused(result.error.code, result.error.message));
  }

  failAll(reason: string): void {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(new SignRefused('unavailable', reason));
      this.waiting.delete(id);
    }
  }
}
