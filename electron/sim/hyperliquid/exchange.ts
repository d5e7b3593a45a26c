import { z } from 'zod';
import type { OrderWireIn, SimMatching } from './matching.ts';
import type { PaperPerpAccount } from './paper-account.ts';
import { actionHash, l1TypedData, recoverSigner, userSignedTypedData, type WireSignature } from '../../venues/hyperliquid/signing.ts';

/*
 * POST /exchange as the venue answers it, for paper trading and tests: every signature is
 * verified by recovering the signer (a wrong signature shows up, as on the venue, as an unknown
 * user), agents are recorded with their name and expiry, nonces are checked per signer, and L1
 * actions from an agent act for its master. Orders go to the matching engine; an account that
 * never deposited cannot approve an agent (the venue's "Must deposit" refusal).
 *
 * Paper mode signs as testnet (source "b", hyperliquidChain "Testnet") so a paper signature is
 * never valid on mainnet.
 */

const sigSchema = z.object({ r: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/), s: z.string().regex(/^0x[0-9a-fA-F]{1,64}$/), v: z.union([z.literal(27), z.literal(28)]) });
const envelopeSchema = z.object({
  action: z.looseObject({ type: z.string() }),
  nonce: z.number().int().nonnegative(),
  signature: sigSchema,
  vaultAddress: z.string().regex(/^0x[0-9a-f]{40}$/).nullable().optional(),
  expiresAfter: z.number().int().nullable().optional(),
});
const approveAgentSchema = z.object({
  type: z.literal('approveAgent'),
  signatureChainId: z.string().regex(/^0x[0-9a-fA-F]+$/),
  hyperliquidChain: z.enum(['Mainnet', 'Testnet']),
  agentAddress: z.string().regex(/^0x[0-9a-f]{40}$/, 'agentAddress must be lowercase hex'),
  agentName: z.string().max(64).optional(),
  nonce: z.number().int(),
});

export interface SimAgent {
  address: string;
  name: string;
  validUntil: number | null;
}

interface Answer {
  status: number;
  body: unknown;
}

const MAX_AGENT_DAYS = 180;
const DAY = 86_400_000;
const ok = (response: unknown): Answer => ({ status: 200, body: { status: 'ok', response } });
const err = (message: string): Answer => ({ status: 200, body: { status: 'err', response: message } });

export class SimExchange {
  private readonly agentsByMaster = new Map<string, SimAgent[]>();
  private readonly everUsedAgents = new Set<string>();
  private readonly nonces = new Map<string, number[]>();
  private readonly orders = new Map<number, { user: string; signer: string; order: unknown }>();
  private nextOid = 90_000_001;
  private readonly now: () => number;
  private readonly knownUsers: Set<string>;

  private readonly matching: SimMatching | null;
  /** Dead-man switches: user → when every open order of theirs is cancelled. */
  private readonly scheduledCancels = new Map<string, number>();

  /** Whether an account ever held funds; absent, every account counts as funded (market-data tests). */
  private readonly funded: (user: string) => boolean;
  private readonly accountOf: ((user: string) => PaperPerpAccount) | null;

  constructor(now: () => number, knownUsers: string[], matching: SimMatching | null = null, accounts: { funded: (user: string) => boolean; account: (user: string) => PaperPerpAccount } | null = null) {
    this.now = now;
    this.knownUsers = new Set(knownUsers.map((u) => u.toLowerCase()));
    this.matching = matching;
    this.funded = accounts?.funded ?? (() => true);
    this.accountOf = accounts?.account ?? null;
  }

  /** Fires the scheduled cancels that are due (called on every market step). */
  fireScheduledCancels(): void {
    const t = this.now();
    for (const [user, at] of this.scheduledCancels) {
      if (at > t) continue;
      this.scheduledCancels.delete(user);
      this.matching?.cancelAll(user);
    }
  }

  /** Cancels every open order of a user at once, as the venue's own dead-man switch does when it fires (tests). */
  cancelAllFor(user: string): number {
    return this.matching?.cancelAll(user.toLowerCase()) ?? 0;
  }

  agents(user: string): SimAgent[] {
    const t = this.now();
    return (this.agentsByMaster.get(user.toLowerCase()) ?? []).filter((a) => a.validUntil === null || a.validUntil > t);
  }

  /** Orders accepted so far, for tests and the control endpoint. */
  acceptedOrders(): { oid: number; user: string; signer: string; order: unknown }[] {
    return [...this.orders].map(([oid, o]) => ({ oid, ...o }));
  }

  handle(body: unknown): Answer {
    const parsed = envelopeSchema.safeParse(body);
    if (!parsed.success) return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
    const env = parsed.data;
    return env.action.type === 'approveAgent' ? this.approveAgent(env.action, env.nonce, env.signature) : this.l1(env.action, env.nonce, env.signature, env.vaultAddress ?? null, env.expiresAfter ?? null);
  }

  private approveAgent(raw: unknown, nonce: number, sig: WireSignature): Answer {
    const parsed = approveAgentSchema.safeParse(raw);
    if (!parsed.success) return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
    const action = parsed.data;
    if (action.nonce !== nonce) return err('Nonce in action does not match the request nonce');
    if (action.hyperliquidChain !== 'Testnet') return err('Invalid hyperliquidChain for this network');
    const master = recoverSigner(userSignedTypedData('approveAgent', { ...action, agentName: action.agentName ?? '' }), sig);
    // The venue knows an account only once it has deposited; until then it refuses to act for it.
    if (!this.funded(master)) return err(`Must deposit before performing actions. User: ${master}`);
    const nonceProblem = this.useNonce(master, nonce);
    if (nonceProblem) return err(nonceProblem);
    if (this.everUsedAgents.has(action.agentAddress)) return err(`Agent address ${action.agentAddress} was already used; generate a new agent`);
    const { name, validUntil } = parseAgentName(action.agentName ?? '');
    if (validUntil !== null && (validUntil <= this.now() || validUntil > this.now() + MAX_AGENT_DAYS * DAY)) return err(`Agent expiry must be within ${MAX_AGENT_DAYS} days`);
    const list = this.agents(master).filter((a) => a.name !== name);
    if (name !== '' && list.filter((a) => a.name !== '').length >= 3) return err('Too many named agents: at most 3');
    list.push({ address: action.agentAddress, name, validUntil });
    this.agentsByMaster.set(master, list);
    this.everUsedAgents.add(action.agentAddress);
    this.knownUsers.add(master);
    return ok({ type: 'default' });
  }

  private l1(action: Record<string, unknown>, nonce: number, sig: WireSignature, vaultAddress: string | null, expiresAfter: number | null): Answer {
    if (expiresAfter !== null && expiresAfter < this.now()) return err(`Action expired: expiresAfter ${expiresAfter}`);
    const signer = recoverSigner(l1TypedData(actionHash(action, nonce, vaultAddress, expiresAfter), false), sig);
    const user = this.userFor(signer);
    if (!user) return err(`User or API Wallet ${signer} does not exist.`);
    const nonceProblem = this.useNonce(signer, nonce);
    if (nonceProblem) return err(nonceProblem);
    switch (action.type) {
      case 'order': {
        const orders = Array.isArray(action.orders) ? (action.orders as unknown[]) : [];
        if (!orders.every(isOrderWire)) return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
        const statuses = orders.map((o) => {
          const oid = this.nextOid++;
          this.orders.set(oid, { user, signer, order: o });
          if (this.matching) return this.matching.place(user, o, oid);
          return { resting: { oid, ...(typeof o.c === 'string' ? { cloid: o.c } : {}) } };
        });
        return ok({ type: 'order', data: { statuses } });
      }
      case 'modify': {
        const id = action.oid;
        if (!(typeof id === 'number' || typeof id === 'string') || !isOrderWire(action.order)) return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
        if (!this.matching) return err('Cannot modify canceled or filled order');
        const oid = this.nextOid++;
        this.orders.set(oid, { user, signer, order: action.order });
        const status = this.matching.modify(user, id, action.order, oid);
        // The venue answers a modify with "default", or an error; what it became is asked by id.
        return typeof status === 'object' && 'error' in status ? err(status.error) : ok({ type: 'default' });
      }
      case 'cancel':
      case 'cancelByCloid': {
        const cancels = Array.isArray(action.cancels) ? (action.cancels as { o?: unknown; cloid?: unknown }[]) : [];
        const gone = { error: 'Order was never placed, already canceled, or filled.' };
        const statuses = cancels.map((c) => {
          if (this.matching) return this.matching.cancel(user, (o) => (action.type === 'cancel' ? o.oid === c.o : o.cloid === c.cloid)) ? 'success' : gone;
          return typeof c.o === 'number' && this.orders.get(c.o)?.user === user && this.orders.delete(c.o) ? 'success' : gone;
        });
        return ok({ type: 'cancel', data: { statuses } });
      }
      case 'scheduleCancel': {
        if (action.time === undefined) {
          this.scheduledCancels.delete(user);
          return ok({ type: 'default' });
        }
        if (typeof action.time !== 'number' || action.time < this.now() + 5_000) return err('Scheduled cancel time too early, must be at least 5 seconds from now.');
        this.scheduledCancels.set(user, action.time);
        return ok({ type: 'default' });
      }
      case 'updateLeverage': {
        const coin = this.matching?.coinName(action.asset);
        if (!coin || typeof action.leverage !== 'number' || !Number.isInteger(action.leverage) || typeof action.isCross !== 'boolean') return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
        if (action.leverage < 1 || action.leverage > (this.matching?.maxLeverage(action.asset as number) ?? 0)) return err('Invalid leverage value');
        const problem = this.accountOf?.(user).setLeverage(coin, action.leverage, action.isCross) ?? null;
        return problem ? err(problem) : ok({ type: 'default' });
      }
      case 'updateIsolatedMargin': {
        const coin = this.matching?.coinName(action.asset);
        if (!coin || typeof action.ntli !== 'number' || !Number.isInteger(action.ntli) || typeof action.isBuy !== 'boolean') return { status: 422, body: 'Failed to deserialize the JSON body into the target type' };
        const problem = this.accountOf?.(user).moveIsolatedMargin(coin, action.ntli / 1e6) ?? null;
        return problem ? err(problem) : ok({ type: 'default' });
      }
      default:
        return err(`Unsupported action type in the simulator: ${String(action.type).slice(0, 40)}`);
    }
  }

  private userFor(signer: string): string | null {
    const t = this.now();
    for (const [master, list] of this.agentsByMaster) {
      if (list.some((a) => a.address === signer && (a.validUntil === null || a.validUntil > t))) return master;
    }
    return this.knownUsers.has(signer) ? signer : null;
  }

  /** The venue keeps the 100 highest nonces per signer; a nonce must be new, above the smallest kept, and near now. */
  private useNonce(signer: string, nonce: number): string | null {
    const t = this.now();
    if (nonce < t - 2 * DAY || nonce > t + DAY) return `Invalid nonce: ${nonce} is too far from the current time`;
    const seen = this.nonces.get(signer) ?? [];
    if (seen.includes(nonce)) return `Invalid nonce: duplicate nonce ${nonce}`;
    if (seen.length >= 100 && nonce < Math.min(...seen)) return `Invalid nonce: ${nonce} is lower than the lowest kept nonce`;
    seen.push(nonce);
    seen.sort((a, b) => b - a);
    this.nonces.set(signer, seen.slice(0, 100));
    return null;
  }
}

function isOrderWire(o: unknown): o is OrderWireIn {
  const w = o as Partial<OrderWireIn> | null;
  return typeof w === 'object' && w !== null && typeof w.a === 'number' && typeof w.b === 'boolean' && typeof w.p === 'string' && typeof w.s === 'string' && typeof w.r === 'boolean' && typeof w.t === 'object' && w.t !== null;
}

/** "hedger valid_until 1767225600000" → name and expiry (ms); no suffix: no expiry. */
export function parseAgentName(agentName: string): { name: string; validUntil: number | null } {
  const m = /^(.*) valid_until (\d+)$/.exec(agentName);
  return m ? { name: m[1] ?? '', validUntil: Number(m[2]) } : { name: agentName, validUntil: null };
}
