import { getAddress, Signature, type TransactionLike } from 'ethers';
import type { DeviceErrorCode } from '../../../shared/contract/result.ts';
import { attachSignature, unsignedTransaction, type TypedDataHashes } from '../signer.ts';
import { problemFromError, STATE_TEXT, type DeviceState } from './device-state.ts';
import { loadEthApp, type EthAppInstance, type Transport } from './ledger-modules.ts';

export interface LedgerTimeouts {
  /** Commands that need no button press (address, app configuration). */
  quickMs: number;
  /** Commands the trader reviews on the device; a careful review of a hash takes a while. */
  reviewMs: number;
}

export const DEFAULT_LEDGER_TIMEOUTS: LedgerTimeouts = { quickMs: 10_000, reviewMs: 5 * 60_000 };

const CODE_OF_STATE: Record<DeviceState, DeviceErrorCode> = {
  disconnected: 'ledger-disconnected',
  locked: 'ledger-locked',
  'app-not-open': 'ledger-app-not-open',
  'blind-signing-off': 'ledger-blind-signing-off',
  rejected: 'ledger-rejected',
  'timed-out': 'ledger-timed-out',
  // A request that fails while the device is still working on another one.
  'waiting-for-user': 'ledger-busy',
  ready: 'ledger-error',
  error: 'ledger-error',
};

/** A device refusal; its `code` crosses the border so the screen can tell the states apart. */
export class LedgerError extends Error {
  override name = 'LedgerError';
  readonly state: DeviceState;
  readonly code: DeviceErrorCode;
  constructor(state: DeviceState, message: string) {
    super(message);
    this.state = state;
    this.code = CODE_OF_STATE[state];
  }
}

export interface LedgerStatus {
  state: DeviceState;
  message: string;
  /** Ethereum app version and its blind-signing flag, when the app answered. */
  appVersion: string | null;
  blindSigning: boolean | null;
  busy: boolean;
}

/**
 * One Ledger, one request at a time. Every request goes through a queue (the device and the USB
 * transport cannot interleave), has a timeout, can be cancelled, and leaves a named state behind
 * (locked, app not open, rejected …) for the status bar. The transport is opened per request
 * and closed after it, so the USB handle is never held while idle and sleep/resume or a replug
 * needs nothing special.
 */
export class LedgerDevice {
  private queue: Promise<unknown> = Promise.resolve();
  private status: LedgerStatus = { state: 'disconnected', message: STATE_TEXT.disconnected, appVersion: null, blindSigning: null, busy: false };
  private current: { transport: Transport | null; cancel: (reason: string) => void } | null = null;
  private readonly openTransport: () => Promise<Transport>;
  private readonly timeouts: LedgerTimeouts;
  private readonly onStatus: (s: LedgerStatus) => void;

  constructor(openTransport: () => Promise<Transport>, options: { timeouts?: LedgerTimeouts; onStatus?: (s: LedgerStatus) => void } = {}) {
    this.openTransport = openTransport;
    this.timeouts = options.timeouts ?? DEFAULT_LEDGER_TIMEOUTS;
    this.onStatus = options.onStatus ?? (() => undefined);
  }

  get snapshot(): LedgerStatus {
    return this.status;
  }

  /** Asks the Ethereum app for its version and flags; tells locked, closed and unplugged apart. */
  probe(): Promise<LedgerStatus> {
    return this.run('quick', async (eth) => {
      const cfg = await eth.getAppConfiguration();
      const blind = Boolean(cfg.arbitraryDataEnabled);
      this.status = { ...this.status, appVersion: cfg.version, blindSigning: blind };
      return this.status;
    }).then(
      () => this.status,
      () => this.status,
    );
  }

  getAddress(path: string, display = false): Promise<string> {
    return this.run(display ? 'review' : 'quick', async (eth) => getAddress((await eth.getAddress(path, display, false)).address));
  }

  /** EIP-712 by its two hashes: works on every model; the device shows the hashes to compare. */
  signTypedData(path: string, h: Pick<TypedDataHashes, 'domain' | 'message'>): Promise<string> {
    return this.run('review', async (eth) => {
      const sig = await eth.signEIP712HashedMessage(path, h.domain.slice(2), h.message.slice(2));
      return joinSignature(sig.r, sig.s, sig.v);
    });
  }

  signTransaction(path: string, tx: TransactionLike): Promise<string> {
    const t = unsignedTransaction(tx);
    return this.run('review', async (eth) => {
      // No clear-signing resolution: it needs Ledger's servers, and we only sign simple transfers.
      const sig = await eth.signTransaction(path, t.unsignedSerialized.slice(2), null);
      const v = BigInt(`0x${sig.v}`);
      const yParity = Number(t.type === 0 ? (v - 35n - t.chainId * 2n) & 1n : v);
      return attachSignature(t, joinSignature(sig.r, sig.s, 27 + yParity));
    });
  }

  signMessage(path: string, message: string | Uint8Array): Promise<string> {
    const hex = Buffer.from(typeof message === 'string' ? new TextEncoder().encode(message) : message).toString('hex');
    return this.run('review', async (eth) => {
      const sig = await eth.signPersonalMessage(path, hex);
      return joinSignature(sig.r, sig.s, sig.v);
    });
  }

  /** Stops the request in progress (the device may still show it; the answer is ignored). */
  cancel(): boolean {
    if (!this.current) return false;
    this.current.cancel('cancelled by you');
    return true;
  }

  private run<T>(kind: 'quick' | 'review', job: (eth: EthAppInstance) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.execute(kind, job));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async execute<T>(kind: 'quick' | 'review', job: (eth: EthAppInstance) => Promise<T>): Promise<T> {
    const timeoutMs = kind === 'quick' ? this.timeouts.quickMs : this.timeouts.reviewMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const slot: { transport: Transport | null; cancel: (reason: string) => void } = { transport: null, cancel: () => undefined };
    const stopped = new Promise<never>((_, reject) => {
      slot.cancel = (reason) => reject(new LedgerError('error', `Ledger request ${reason}`));
      timer = setTimeout(() => reject(new LedgerError('timed-out', `${STATE_TEXT['timed-out']} (${Math.round(timeoutMs / 1000)} s)`)), timeoutMs);
    });
    this.current = slot;
    this.setStatus({ busy: true, ...(kind === 'review' ? { state: 'waiting-for-user', message: STATE_TEXT['waiting-for-user'] } : {}) });
    const work = (async () => {
      slot.transport = await this.openTransport();
      const EthApp = loadEthApp();
      return job(new EthApp(slot.transport));
    })();
    try {
      const value = await Promise.race([work, stopped]);
      const state: DeviceState = this.status.blindSigning === false ? 'blind-signing-off' : 'ready';
      this.setStatus({ state, message: STATE_TEXT[state], busy: false });
      return value;
    } catch (err) {
      const problem = err instanceof LedgerError ? { state: err.state, message: err.message } : problemFromError(err);
      this.setStatus({ ...problem, busy: false, ...(problem.state === 'disconnected' || problem.state === 'locked' ? { appVersion: null, blindSigning: null } : {}) });
      throw err instanceof LedgerError ? err : new LedgerError(problem.state, problem.message);
    } finally {
      clearTimeout(timer);
      this.current = null;
      work.catch(() => undefined);
      await slot.transport?.close().catch(() => undefined);
    }
  }

  private setStatus(patch: Partial<LedgerStatus>): void {
    this.status = { ...this.status, ...patch };
    this.onStatus(this.status);
  }
}

/** The device answers v as 27/28 (or 0/1 on some firmware) and r, s as hex. */
function joinSignature(r: string, s: string, v: number | string): string {
  const vNum = typeof v === 'string' ? Number.parseInt(v, 16) : v;
  return Signature.from({ r: `0x${r.padStart(64, '0')}`, s: `0x${s.padStart(64, '0')}`, v: vNum < 27 ? vNum + 27 : vNum }).serialized;
}
