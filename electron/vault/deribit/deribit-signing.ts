import { createHash } from 'node:crypto';
import { fail, ok, refusalCodeOf, type CommandResult } from '../../../shared/contract/result.ts';
import type { Network } from '../../../shared/domain/networks.ts';
import type { DeribitSendRequest, DeribitSent } from '../../engine/host-protocol.ts';
import { clientSignatureParams, hmacSha256Hex, newNonce } from '../../venues/deribit/auth-signature.ts';
import { DeribitError } from '../../venues/deribit/json-rpc.ts';
import { deribitAction, deribitView, indexPriceSchema, openOrdersSchema, orderStateSchema, positionsSchema, readDeribitRequest, type DeribitOrderRead, type DeribitRead } from '../guard/deribit-request.ts';
import { cachedVenueView } from '../guard/venue-view-cache.ts';
import type { ReadVenueView, VenueView } from '../guard/venue-view.ts';
import type { ReadAction } from '../guard/hyperliquid-action.ts';
import type { SigningService } from '../signing-service.ts';
import { canonicalJson } from '../vault-file.ts';
import type { Vault } from '../vault.ts';
import { DeribitTradingLink, LinkNotSent, type DeribitKeyInUse } from './trading-link.ts';

/** The engine's own session may read orders and the account, never send an order (main does). */
export const ENGINE_SESSION_SCOPE = 'trade:read account:read';

export interface DeribitEndpoint {
  wsUrl: string;
  network: Network;
  paperKey: { clientId: string; clientSecret: string } | null;
}

export interface DeribitSigningDeps {
  vault: Vault;
  service: SigningService;
  /** Where the running engine's Deribit is: its WebSocket, its network, and on paper the simulator's key (no secret). */
  endpoint: () => Promise<DeribitEndpoint | null>;
  now?: () => number;
  heartbeatIntervalS?: number;
}

/**
 * Deribit in main: the API key's secret never leaves the vault. The engine's read session is
 * logged in with a signature made here; every order action comes here as it will be sent, is
 * read and guarded, journaled, and sent on main's own trading connection.
 */
export class DeribitSigning {
  readonly link: DeribitTradingLink;
  /**
   * The guard's view of one currency (index, positions, open orders), cached as Hyperliquid's is
   * (fresh 0.5 s, used up to 2 s while re-read): three reads per order would cost three of
   * Deribit's rate-limit credits and a round trip each on the order path.
   */
  private readonly view: ReadVenueView;
  private readonly d: DeribitSigningDeps;
  private readonly now: () => number;

  constructor(deps: DeribitSigningDeps) {
    this.d = deps;
    this.now = deps.now ?? Date.now;
    this.link = new DeribitTradingLink({ wsUrl: async () => (await deps.endpoint())?.wsUrl ?? null, key: () => this.keyInUse(), now: this.now, ...(deps.heartbeatIntervalS ? { heartbeatIntervalS: deps.heartbeatIntervalS } : {}) });
    this.view = cachedVenueView(async (currency) => {
      const [px, positions, open] = await Promise.all([
        this.link.read('public/get_index_price', { index_name: `${currency.toLowerCase()}_usd` }, indexPriceSchema),
        this.link.read('private/get_positions', { currency }, positionsSchema),
        this.link.read('private/get_open_orders_by_currency', { currency }, openOrdersSchema),
      ]);
      return deribitView(currency, { index: px.index_price, positionDelta: positions.reduce((sum, p) => sum + p.delta, 0), openOrders: open });
    });
  }

  /**
   * The key for the network in use: the vault's newest Deribit key for it; on paper, the
   * simulator's. Only the paper account may be read while the vault is locked (its key is public).
   */
  async keyInUse(use: 'trade' | 'read' = 'trade'): Promise<(DeribitKeyInUse & { keyId: string | null }) | string> {
    const vault = this.d.vault;
    const endpoint = await this.d.endpoint();
    if (!endpoint) return 'Deribit is not configured';
    const network = endpoint.network;
    if (use === 'read' && network === 'paper' && endpoint.paperKey && !vault.isUnlocked) return { clientId: endpoint.paperKey.clientId, keyId: null, hmac: (m) => hmacSha256Hex(endpoint.paperKey!.clientSecret, m) };
    if (!vault.isUnlocked) return 'the vault is locked: unlock it to trade on Deribit';
    const key = vault
      .apiKeys()
      .filter((k) => k.venue === 'deribit' && k.network === network && !k.damaged)
      .sort((a, b) => b.createdAt - a.createdAt)[0];
    if (key) return { clientId: key.clientId, keyId: key.id, hmac: (m) => vault.hmacWithApiKey(key.id, m) };
    const paper = network === 'paper' ? endpoint.paperKey : null;
    if (paper) return { clientId: paper.clientId, keyId: null, hmac: (m) => hmacSha256Hex(paper.clientSecret, m) };
    return `no Deribit API key for ${network} in the vault: add one in Vault → API keys`;
  }

  /** `public/auth` params for the engine's read-only session. */
  async login(): Promise<CommandResult<{ login: Record<string, unknown>; clientId: string }>> {
    const key = await this.keyInUse('read');
    if (typeof key === 'string') return fail('refused', key);
    // The trading connection logs in now too (when it can), so the first order does not wait for it.
    if (this.d.vault.isUnlocked) void this.link.call('public/test', {}).catch(() => undefined);
    return ok({ login: clientSignatureParams(key.clientId, this.now(), newNonce(), key.hmac, ENGINE_SESSION_SCOPE), clientId: key.clientId });
  }

  /** Reads, guards, journals and sends one order action; the answer is Deribit's, in its words. */
  async send(request: DeribitSendRequest): Promise<CommandResult<DeribitSent>> {
    const read = readDeribitRequest(request.method, request.params);
    let key = await this.keyInUse();
    // A cancel goes out while the vault is locked, on the connection already logged in: locking
    // must never leave the trader unable to pull an order.
    const loggedInAs = this.link.loggedInAs;
    if (typeof key === 'string' && read.ok && read.read.kind === 'no-exposure' && request.method !== 'private/close_position' && loggedInAs !== null) key = { clientId: loggedInAs, keyId: null, hmac: () => '' };
    if (typeof key === 'string') return fail('refused', key);
    try {
      const action = read.ok ? await this.valued(read.read).catch((err: Error) => `cannot check the budget: Deribit's account could not be read (${err.message})`) : read.reason;
      const base = {
        at: this.now(),
        signer: { kind: 'api-key' as const, address: key.clientId, keyId: key.keyId, role: 'api-key' },
        scheme: 'deribit-order' as const,
        summary: (request.summary ?? request.method).slice(0, 200),
        // What was approved, exactly: the method and its params, canonically encoded.
        digest: createHash('sha256').update(`${request.method}\n${canonicalJson(request.params)}`).digest('hex'),
        limits: this.d.vault.budget().record?.limits ?? null,
      };
      const guardAction: ReadAction | string = typeof action === 'string' ? action : action.action;
      const view = typeof action === 'string' ? emptyView() : action.view;
      await this.d.service.guarded(base, guardAction, () => Promise.resolve(view), request.purpose, 'deribit', () => Promise.resolve());
    } catch (err) {
      return fail(refusalCodeOf(err) ?? 'refused', (err as Error).message);
    }
    try {
      return ok({ deribit: { result: await this.link.call(request.method, request.params) } });
    } catch (err) {
      if (err instanceof DeribitError) return ok({ deribit: { error: { code: err.code, message: err.venueMessage } } });
      if (err instanceof LinkNotSent) return fail('unavailable', err.message);
      return ok({ deribit: { unknown: (err as Error).message } });
    }
  }

  close(): void {
    this.link.close();
  }

  /** The action for the guard and the account it trades, as main reads them from Deribit (only when it adds exposure). */
  private async valued(read: DeribitRead): Promise<{ action: ReadAction; view: VenueView }> {
    if (read.kind === 'no-exposure') return { action: { kind: 'no-exposure', what: read.what }, view: emptyView() };
    let order: DeribitOrderRead;
    if (read.kind === 'edit') {
      // An edit is valued as the order it becomes: its instrument and side are Deribit's, not the caller's.
      const current = await this.link.read('private/get_order_state', { order_id: read.orderId }, orderStateSchema);
      order = { currency: current.instrument_name.slice(0, 3), instrument: current.instrument_name, isBuy: current.direction === 'buy', amount: read.amount, price: read.price, reduceOnly: current.reduce_only === true };
    } else order = read;
    const view = await this.view(order.currency);
    return { action: deribitAction(order, view.mids.get(order.currency)!), view };
  }
}

function emptyView(): VenueView {
  return { coins: [], mids: new Map(), positions: new Map(), openBuys: new Map(), openSells: new Map() };
}
