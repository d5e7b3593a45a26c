import { z } from 'zod';
import { fail, ok, refusalCodeOf, type CommandResult } from '../../../shared/contract/result.ts';
import type { OwnerConfirm } from '../../../shared/contract/vault-schemas.ts';
import type { Network } from '../../../shared/domain/networks.ts';
import type { DeriveSendRequest, DeriveSent } from '../../engine/host-protocol.ts';
import { actionNonce, actionTypedData, DERIVE_MODULES, encodeSessionKeyData, encodeTradeData, type DeriveAction, type SessionScope } from '../../venues/derive/signing.ts';
import { deriveInstrument, deriveSlimTicker, normaliseDeriveOption, type DeriveOptionContract } from '../../venues/derive/wire-schemas.ts';
import type { ReadAction } from '../guard/hyperliquid-action.ts';
import type { VenueView } from '../guard/venue-view.ts';
import { LocalSigner } from '../local-signer.ts';
import type { SignerRef, SigningService } from '../signing-service.ts';
import { typedDataHashes, type Signer } from '../signer.ts';
import { VaultError } from '../vault-error.ts';
import type { PublicKey, Vault } from '../vault.ts';
import { deriveHttp, DeriveNotSent, DeriveVenueError, type DeriveAuth } from './derive-link.ts';

/*
 * Derive in main (venues.md §3.5–3.8): the session key never leaves the vault. The owner (a vault
 * master or the Ledger) registers a fresh key for one subaccount, with only the options-trading
 * scope and an expiry; the engine's session logs in with the key's signature over the time; every
 * order comes here as its unsigned fields, and main reads the instrument from Derive itself,
 * rebuilds the signed trade data from it, runs the budget guard on what it will sign, signs,
 * journals and sends. A key is never reused: each registration generates a new one.
 */

export interface DeriveEndpoint {
  httpUrl: string;
  network: Network;
  /** The chain whose Matching domain actions are signed for (v3 mainnet 1, testnet and paper 11155111). */
  chainId: number;
}

export interface DeriveSigningDeps {
  vault: Vault;
  service: SigningService;
  endpoint: () => Promise<DeriveEndpoint | null>;
  now?: () => number;
}

export const SESSION_SCOPE: SessionScope = 'trade:orderbook:option';
/** Signed orders expire at the venue after this (the executor waits it out after a lost answer). */
const ACTION_EXPIRY_S = 300;
const MAX_SESSION_DAYS = 30;
const DAY = 86_400_000;

const dec = z.string().regex(/^\d+(\.\d{1,12})?$/, 'a positive decimal with at most 12 decimals');
const orderParams = z
  .object({
    instrument_name: z.string().regex(/^[A-Z]{2,10}-\d{8}-\d+(_\d+)?-[CP]$/),
    direction: z.enum(['buy', 'sell']),
    order_type: z.literal('limit'),
    time_in_force: z.enum(['gtc', 'post_only', 'fok', 'ioc']),
    limit_price: dec,
    amount: dec,
    max_fee: dec,
    label: z.string().max(64),
    reduce_only: z.boolean(),
    mmp: z.boolean().optional(),
  })
  .strict();
const cancelByLabel = z.object({ label: z.string().min(1).max(64), instrument_name: z.string().max(40).optional() }).strict();
const positions = z.object({ positions: z.array(z.object({ instrument_name: z.string(), amount: z.string().transform(Number) }).loose()) }).loose();
const openOrders = z.object({ orders: z.array(z.object({ instrument_name: z.string(), direction: z.enum(['buy', 'sell']), amount: z.string().transform(Number), filled_amount: z.string().transform(Number) }).loose()) }).loose();

export class DeriveSigning {
  private readonly d: DeriveSigningDeps;
  private readonly now: () => number;

  constructor(deps: DeriveSigningDeps) {
    this.d = deps;
    this.now = deps.now ?? Date.now;
  }

  /** The session key that trades now: registered at the venue, unexpired, on this network; the newest wins. */
  async sessionKey(): Promise<PublicKey | null> {
    const endpoint = await this.d.endpoint();
    if (!endpoint || !this.d.vault.isUnlocked) return null;
    const now = this.now();
    const keys = this.d.vault.describe().keys.filter((k) => k.role === 'agent' && k.venue === 'derive' && !k.damaged && k.agent && k.agent.approvedAt !== null && k.agent.network === endpoint.network && (k.agent.validUntil === null || k.agent.validUntil > now + 60_000));
    return keys.sort((a, b) => (b.agent!.approvedAt ?? 0) - (a.agent!.approvedAt ?? 0))[0] ?? null;
  }

  /**
   * The owner registers a new session key: generated here, granted `trade:orderbook:option` on the
   * owner's first subaccount until `validDays` from now. The owner signs the login and the
   * setSessionKey action (a Ledger shows both); the key is kept only if Derive accepted it.
   */
  async registerSessionKey(input: { owner: SignerRef; validDays: number; label: string; confirm: OwnerConfirm }): Promise<PublicKey> {
    if (!/^[A-Za-z0-9 _-]{1,16}$/.test(input.label)) throw new VaultError('invalid-request', 'session key label: 1–16 letters, digits, spaces, - or _');
    if (!(input.validDays >= 1 && input.validDays <= MAX_SESSION_DAYS)) throw new VaultError('invalid-request', `session key validity: 1 to ${MAX_SESSION_DAYS} days`);
    const endpoint = await this.d.endpoint();
    if (!endpoint) throw new VaultError('unavailable', 'Derive is not configured in this host');
    const service = this.d.service;
    const owner = service.signerFor(input.owner);
    const ownerAddress = await owner.address();
    const validUntil = this.now() + Math.round(input.validDays) * DAY;
    const what = `register a Derive session key "${input.label}" to trade options for ${ownerAddress} until ${new Date(validUntil).toISOString().slice(0, 16)} UTC`;
    const onDevice = input.owner.kind === 'ledger' && input.confirm.kind === 'ledger' && input.confirm.address.toLowerCase() === ownerAddress.toLowerCase();
    if (!onDevice) await service.confirmOwner(input.confirm, what);
    const auth = authBy(ownerAddress, owner);
    const subs = z.object({ subaccount_ids: z.array(z.number().int().nonnegative()) }).loose().parse(await this.http(endpoint, 'private/get_subaccounts', { wallet: ownerAddress }, auth));
    const subaccountId = subs.subaccount_ids[0];
    if (subaccountId === undefined) throw new VaultError('refused', `Derive lists no subaccount for ${ownerAddress}: deposit on Derive first`);
    const key = await this.d.vault.generateKey({
      label: `${input.label} (session)`,
      role: 'agent',
      venue: 'derive',
      agent: { master: ownerAddress.toLowerCase(), name: input.label, validUntil, approvedAt: null, approvedWith: null, network: endpoint.network, scopes: [SESSION_SCOPE], subaccountId },
    });
    try {
      const expirySec = Math.floor(validUntil / 1000);
      const data = encodeSessionKeyData({ sessionKey: key.address, expirySec: BigInt(expirySec), scopes: [SESSION_SCOPE], subaccountIds: [BigInt(subaccountId)] });
      const action: DeriveAction = { subaccountId: 0n, nonce: actionNonce(this.now()), module: DERIVE_MODULES.setSessionKey, data, expiry: BigInt(Math.floor(this.now() / 1000) + ACTION_EXPIRY_S), owner: ownerAddress, signer: ownerAddress };
      const signature = await service.signJournaled(owner, actionTypedData(endpoint.chainId, action), 'eip712', `Derive setSessionKey ${key.address} for subaccount ${subaccountId} until ${new Date(validUntil).toISOString()}`, { kind: 'agent-approval' });
      await this.http(
        endpoint,
        'private/set_session_key',
        { wallet: ownerAddress, public_session_key: key.address, expiry_sec: expirySec, subaccount_ids: [subaccountId], protocol_scopes: [SESSION_SCOPE], label: input.label, nonce: action.nonce.toString(), signer: ownerAddress, signature, signature_expiry_sec: Number(action.expiry), data },
        auth,
      );
      await this.d.vault.updateAgent(key.id, { master: ownerAddress.toLowerCase(), name: input.label, validUntil, approvedAt: this.now(), approvedWith: owner.kind, network: endpoint.network, scopes: [SESSION_SCOPE], subaccountId });
      return this.d.vault.key(key.id);
    } catch (err) {
      await this.d.vault.deleteKey(key.id).catch(() => undefined);
      if (err instanceof DeriveVenueError) throw new VaultError('refused', `Derive refused the session key: ${err.venueMessage}`);
      throw err;
    }
  }

  /** The engine's login: the session key signs the time; the wallet is its owner's. */
  async login(): Promise<CommandResult<{ deriveLogin: { wallet: string; timestamp: number; signature: string; subaccountId: number } }>> {
    if (!this.d.vault.isUnlocked) return fail('locked', 'the vault is locked: unlock it to trade on Derive');
    const key = await this.sessionKey();
    if (!key?.agent) return fail('refused', 'no live Derive session key: register one in Vault (the owner signs it)');
    const timestamp = Math.floor(this.now());
    const signature = await new LocalSigner(this.d.vault, key.id).signMessage(String(timestamp));
    return ok({ deriveLogin: { wallet: key.agent.master, timestamp, signature, subaccountId: key.agent.subaccountId ?? 0 } });
  }

  /** Reads, guards, signs, journals and sends one order action; the answer is Derive's, in its words. */
  async send(request: DeriveSendRequest): Promise<CommandResult<DeriveSent>> {
    const endpoint = await this.d.endpoint();
    if (!endpoint) return fail('unavailable', 'Derive is not configured in this host');
    if (!this.d.vault.isUnlocked) return fail('locked', 'the vault is locked: unlock it to trade on Derive');
    const key = await this.sessionKey();
    if (!key?.agent) return fail('refused', 'no live Derive session key: register one in Vault (the owner signs it)');
    const owner = key.agent.master;
    const subaccountId = key.agent.subaccountId ?? 0;
    const signer = new LocalSigner(this.d.vault, key.id);
    const auth = authBy(owner, signer);
    let params: Record<string, unknown>;
    try {
      params = request.method === 'private/order' ? await this.signedOrder(endpoint, request, key, signer, auth, subaccountId) : await this.journaledCancel(request, key, signer, subaccountId);
    } catch (err) {
      if (err instanceof DeriveVenueError) return fail('refused', `Derive could not be read to check the order: ${err.venueMessage}`);
      return fail(refusalCodeOf(err) ?? 'refused', (err as Error).message);
    }
    try {
      return ok({ derive: { result: await this.http(endpoint, request.method, params, auth) } });
    } catch (err) {
      if (err instanceof DeriveVenueError) return ok({ derive: { error: { code: err.code, message: err.venueMessage } } });
      if (err instanceof DeriveNotSent) return fail('unavailable', err.message);
      return ok({ derive: { unknown: (err as Error).message } });
    }
  }

  /**
   * An order as main signs it: the instrument's asset and sub id and the index come from Derive,
   * not from the caller; the max fee may not exceed what the published schedule can charge.
   */
  private async signedOrder(endpoint: DeriveEndpoint, request: DeriveSendRequest, key: PublicKey, signer: Signer, auth: DeriveAuth, subaccountId: number): Promise<Record<string, unknown>> {
    const read = orderParams.safeParse(request.params);
    if (!read.success) throw new VaultError('refused', `budget: the Derive order cannot be read (${read.error.issues[0]?.path.join('.')}: ${read.error.issues[0]?.message}); nothing signed`);
    const o = read.data;
    const [instrument, ticker] = await Promise.all([
      this.http(endpoint, 'public/get_instrument', { instrument_name: o.instrument_name }, null).then((x) => deriveInstrument.parse(x)),
      this.http(endpoint, 'public/get_ticker', { instrument_name: o.instrument_name }, null).then((x) => deriveSlimTicker.parse(x)),
    ]);
    const contract = normaliseDeriveOption(instrument);
    if (typeof contract === 'string') throw new VaultError('refused', `budget: ${contract}; nothing signed`);
    const feeCap = contract.fees.base + contract.fees.premiumCap * Number(o.limit_price) + 0.01;
    if (Number(o.max_fee) > feeCap) throw new VaultError('refused', `budget: a max fee of ${o.max_fee} USDC per contract is over the ${feeCap.toFixed(2)} Derive's schedule can charge at this price; nothing signed`);
    const data = encodeTradeData({ asset: contract.asset, subId: contract.subId, limitPrice: o.limit_price, amount: o.amount, maxFee: o.max_fee, recipientSubaccountId: BigInt(subaccountId), isBid: o.direction === 'buy' });
    const action: DeriveAction = { subaccountId: BigInt(subaccountId), nonce: actionNonce(this.now()), module: DERIVE_MODULES.trade, data, expiry: BigInt(Math.floor(this.now() / 1000) + ACTION_EXPIRY_S), owner: key.agent!.master, signer: key.address };
    const td = actionTypedData(endpoint.chainId, action);
    const hashes = typedDataHashes(td);
    const service = this.d.service;
    const base = {
      at: this.now(),
      signer: { kind: 'local' as const, address: key.address, keyId: key.id, role: 'agent' },
      scheme: 'derive-action' as const,
      summary: (request.summary ?? `${o.direction} ${o.amount} ${o.instrument_name}`).slice(0, 200),
      digest: hashes.digest,
      limits: this.d.vault.budget().record?.limits ?? null,
    };
    const index = ticker.I;
    const guardAction: ReadAction = { kind: 'orders', legs: [{ asset: 0, isBuy: o.direction === 'buy', price: index, triggerPrice: null, size: Number(o.amount), reduceOnly: o.reduce_only }] };
    const signature = await service.guarded(base, guardAction, () => this.view(endpoint, contract, index, auth, subaccountId), request.purpose, 'derive', () => signer.signTypedData(td, hashes));
    return { ...o, subaccount_id: subaccountId, nonce: action.nonce.toString(), signer: key.address, signature, signature_expiry_sec: Number(action.expiry) };
  }

  /** Cancels move no money and need no signed action: journaled through the guard as no exposure. */
  private async journaledCancel(request: DeriveSendRequest, key: PublicKey, signer: Signer, subaccountId: number): Promise<Record<string, unknown>> {
    if (request.method === 'private/cancel_by_label' && !cancelByLabel.safeParse(request.params).success) throw new VaultError('refused', 'budget: a Derive cancel needs a label; nothing sent');
    const params = request.method === 'private/cancel_all' ? {} : request.params;
    const base = { at: this.now(), signer: { kind: 'local' as const, address: await signer.address(), keyId: key.id, role: 'agent' }, scheme: 'derive-action' as const, summary: (request.summary ?? request.method).slice(0, 200), digest: '', limits: this.d.vault.budget().record?.limits ?? null };
    await this.d.service.guarded(base, { kind: 'no-exposure', what: request.method.slice(8) }, () => Promise.resolve(emptyView()), request.purpose, 'derive', () => Promise.resolve());
    return { ...params, subaccount_id: subaccountId };
  }

  /**
   * The guard's view of the subaccount, in contracts of the coin: positions long +, short −, and
   * resting buys and sells. An option's exposure counts as its whole amount (|Δ| ≤ 1): the worst case.
   */
  private async view(endpoint: DeriveEndpoint, contract: DeriveOptionContract, index: number, auth: DeriveAuth, subaccountId: number): Promise<VenueView> {
    const coin = contract.underlying;
    const [p, o] = await Promise.all([this.http(endpoint, 'private/get_positions', { subaccount_id: subaccountId }, auth).then((x) => positions.parse(x)), this.http(endpoint, 'private/get_open_orders', { subaccount_id: subaccountId }, auth).then((x) => openOrders.parse(x))]);
    const mine = (name: string): boolean => name.startsWith(`${coin}-`);
    const held = p.positions.filter((x) => mine(x.instrument_name)).reduce((s, x) => s + x.amount, 0);
    let buys = 0;
    let sells = 0;
    for (const x of o.orders) {
      if (!mine(x.instrument_name)) continue;
      if (x.direction === 'buy') buys += x.amount - x.filled_amount;
      else sells += x.amount - x.filled_amount;
    }
    return { coins: [coin], mids: new Map([[coin, index]]), positions: new Map([[coin, held]]), openBuys: new Map([[coin, buys]]), openSells: new Map([[coin, sells]]) };
  }

  private http(endpoint: DeriveEndpoint, method: string, params: Record<string, unknown>, auth: DeriveAuth | null): Promise<unknown> {
    return deriveHttp(endpoint.httpUrl, method, params, auth, this.now);
  }
}

function authBy(wallet: string, signer: Signer): DeriveAuth {
  return { wallet, sign: (message) => signer.signMessage(message) };
}

function emptyView(): VenueView {
  return { coins: [], mids: new Map(), positions: new Map(), openBuys: new Map(), openSells: new Map() };
}
