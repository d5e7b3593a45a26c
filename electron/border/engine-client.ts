import { describeCommand } from '../../shared/contract/command-words.ts';
import { isCommandName } from '../../shared/contract/commands.ts';
import type { SimEndpoints } from '../sim/start-sim.ts';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { signRequestSchema, type EngineToHost, type HostToEngine, type VenueEndpointsInUse, type SignAnswer, type SignRequest } from '../engine/host-protocol.ts';
import { describeIssues } from '../../shared/contract/validate.ts';
import { alertSchema } from '../../shared/contract/alert-schemas.ts';
import type { Alert } from '../../shared/domain/alerts.ts';

/** The host's side of the engine link: requests with ids and timeouts, frames, readiness. */
export interface EngineTransport {
  post(message: HostToEngine): void;
  onMessage(listener: (message: EngineToHost) => void): void;
}

/** Both hosts restart a dead engine on the same schedule: 1 s, 2 s, 4 s … up to 10 s. */
export function engineRestartDelayMs(restarts: number): number {
  return Math.min(10_000, 500 * 2 ** Math.min(restarts, 5));
}

/** Main's signer for the engine: reads the action, guards it, signs it or says why not. Never throws. */
export type EngineSigner = (request: SignRequest) => Promise<CommandResult<SignAnswer>>;

export interface EngineReady {
  sim: SimEndpoints | null;
  /** Where the venues point (the vault posts and guards against the same Hyperliquid). */
  endpoints: VenueEndpointsInUse;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: CommandResult<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly frameListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly alertListeners = new Set<(alert: Alert) => void>();
  readonly ready: Promise<EngineReady>;

  private readonly transport: EngineTransport;
  private readonly timeoutMs: number;

  private readonly signer: () => EngineSigner | null;

  constructor(transport: EngineTransport, timeoutMs = 15_000, signer: () => EngineSigner | null = () => null) {
    this.transport = transport;
    this.timeoutMs = timeoutMs;
    this.signer = signer;
    let resolveReady!: (r: EngineReady) => void;
    let rejectReady!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    transport.onMessage((msg) => {
      switch (msg.type) {
        case 'ready':
          return resolveReady({ sim: msg.sim, endpoints: msg.endpoints });
        case 'fatal':
          return rejectReady(new Error(msg.message));
        case 'frame':
          for (const l of this.frameListeners) l(msg.bytes);
          return;
        case 'sign':
          void this.answerSign(msg.id, msg.request);
          return;
        case 'alert': {
          // Checked like anything from the engine that main acts on: a notification shows its words.
          const parsed = alertSchema.safeParse(msg.alert);
          if (parsed.success) for (const l of this.alertListeners) l(parsed.data);
          return;
        }
        case 'response': {
          const p = this.pending.get(msg.id);
          if (!p) return;
          clearTimeout(p.timer);
          this.pending.delete(msg.id);
          p.resolve(msg.result);
        }
      }
    });
  }

  request(name: string, payload: unknown): Promise<CommandResult<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(fail('unavailable', `${isCommandName(name) ? describeCommand(name) : 'The request'}: the engine did not answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      this.transport.post({ type: 'request', id, name, payload });
    });
  }

  /**
   * The engine's request is checked here as if it came from outside: main signs only what it can
   * read itself, and answers every request, also a malformed one.
   */
  private async answerSign(id: number, request: unknown): Promise<void> {
    const parsed = signRequestSchema.safeParse(request);
    const signer = this.signer();
    let result: CommandResult<SignAnswer>;
    if (!parsed.success) result = fail('invalid-request', `signature request: ${describeIssues(parsed.error)}`);
    else if (!signer) result = fail('unavailable', 'this host has no vault to sign with');
    else {
      try {
        result = await signer(parsed.data);
      } catch (err) {
        result = fail('internal', `the signature failed: ${err instanceof Error ? err.message : 'unexpected error'}`);
      }
    }
    this.transport.post({ type: 'sign-result', id, result });
  }

  /** Critical alerts the engine raised or escalated (main turns them into desktop notifications). */
  onAlert(listener: (alert: Alert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  onFrame(listener: (bytes: Uint8Array) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /** Answers every request still waiting, e.g. when the engine process died. */
  failPending(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(fail('unavailable', reason));
      this.pending.delete(id);
    }
  }
}
