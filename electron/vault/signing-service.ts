import { Wallet } from 'ethers';
import { actionHash, l1TypedData, toWireSignature, userSignedTypedData, type WireSignature } from '../venues/hyperliquid/signing.ts';
import type { ExchangeResponse, SignedEnvelope } from '../venues/hyperliquid/exchange-client.ts';
import type { TypedDataPayload } from '../../shared/domain/typed-data.ts';
import type { OwnerConfirm } from '../../shared/contract/vault-schemas.ts';
import { fail, ok, refusalCodeOf, type CommandResult } from '../../shared/contract/result.ts';
import type { AaveTxRequest, HyperliquidSignRequest, SignAnswer, Signed, SignRequest } from '../engine/host-protocol.ts';
import { readAaveTx, type AaveGuardConfig } from './guard/aave-tx.ts';
import type { DeribitSigning } from './deribit/deribit-signing.ts';
import type { DeriveSigning } from './derive/derive-signing.ts';
import type { ReadAction } from './guard/hyperliquid-action.ts';
import type { VenueView } from './guard/venue-view.ts';
import { checkBudget, type GuardedIntent, type PendingExposure, type Purpose, type WindowUsage } from './budget-guard.ts';
import { readHyperliquidAction } from './guard/hyperliquid-action.ts';
import type { ReadVenueView } from './guard/venue-view.ts';
import { LedgerSigner } from './ledger/ledger-signer.ts';
import type { LedgerDevice } from './ledger/ledger-device.ts';
import { LocalSigner } from './local-signer.ts';
import { typedDataHashes, unsignedTransaction, type Signer } from './signer.ts';
import type { JournalEntry, SignatureJournal } from './signature-journal.ts';
import { VaultError } from './vault-error.ts';
import type { BudgetLimits } from './vault-file.ts';
import type { PublicKey, Vault } from './vault.ts';

export type SignerRef = { kind: 'local'; keyId: string } | { kind: 'ledger'; address: string };

export interface HyperliquidNetwork {
  /** Paper trading signs as testnet, so a paper signature is never valid on mainnet. */
  network: 'paper' | 'testnet' | 'mainnet';
  post: (envelope: SignedEnvelope) => Promise<ExchangeResponse>;
  /** Paper only: the simulated venue's one-time deposit, so a fresh master can act (the venue refuses an unfunded one). */
  fundPaper?: (user: string) => Promise<number>;
}

const SIGNATURE_CHAIN_ID = '0x66eee';
/**
 * A signed order reaches the venue's open orders a moment after it is signed; until then, and a
 * while after, its size still counts toward the worst-case position of the next signature.
 */
const RECENT_EXPOSURE_MS = 15_000;

interface Reservation {
  notionalUsd: number;
  collateralUsd: number;
  buys: Map<string, number>;
  sells: Map<string, number>;
  /** Set once signed: the exposure is kept until then + RECENT_EXPOSURE_MS. */
  signedAt: number | null;
}
const DAY = 86_400_000;
/** A collateral move is checked against the collateral limit only: no positions to look at. */
const NO_POSITIONS: VenueView = { coins: [], mids: new Map(), positions: new Map(), openBuys: new Map(), openSells: new Map() };
export const MAX_AGENT_DAYS = 180;

/**
 * Every signature the app makes goes through here: the budget guard first (for anything that
 * trades or moves collateral), then the signer, then the journal — the signature is handed out
 * only after its journal line is on disk.
 */
export class SigningService {
  private readonly vault: Vault;
  private readonly journal: SignatureJournal;
  private readonly ledger: LedgerDevice | null;
  private readonly hl: HyperliquidNetwork;
  private readonly now: () => number;
  private readonly venueView: ReadVenueView;
  private lastNonce = 0;
  /** Deribit's login and order sending, when the host set it up (attachDeribit). */
  private deribit: DeribitSigning | null = null;
  /** Derive's session keys, login and order signing (attachDerive). */
  private derive: DeriveSigning | null = null;
  /** The Aave market main checks transactions against (paper: the simulator's; set by the host). */
  private aave: (() => Promise<AaveGuardConfig | null>) | null = null;
  private readonly reservations = new Set<Reservation>();

  constructor(deps: { vault: Vault; journal: SignatureJournal; ledger: LedgerDevice | null; hyperliquid: HyperliquidNetwork; venueView: ReadVenueView; now?: () => number }) {
    this.vault = deps.vault;
    this.journal = deps.journal;
    this.ledger = deps.ledger;
    this.hl = deps.hyperliquid;
    this.venueView = deps.venueView;
    this.now = deps.now ?? Date.now;
  }

  attachDeribit(deribit: DeribitSigning): void {
    this.deribit = deribit;
  }

  attachDerive(derive: DeriveSigning): void {
    this.derive = derive;
  }

  get deriveSigning(): DeriveSigning | null {
    return this.derive;
  }

  attachAave(market: () => Promise<AaveGuardConfig | null>): void {
    this.aave = market;
  }

  get isMainnet(): boolean {
    return this.hl.network === 'mainnet';
  }

  signerFor(ref: SignerRef): Signer {
    if (ref.kind === 'local') {
      const key = this.vault.key(ref.keyId);
      if (key.role !== 'master') throw new VaultError('refused', `"${key.label}" is an agent key; only a master key or a Ledger approves agents and budgets`);
      return new LocalSigner(this.vault, ref.keyId);
    }
    const account = this.vault.ledgerAccounts.find((a) => a.address.toLowerCase() === ref.address.toLowerCase());
    if (!account || !this.ledger) throw new VaultError('invalid-request', 'that Ledger account is not known; add it from the Vault screen first');
    return new LedgerSigner(this.ledger, account.path.replace(/^m\//, ''), account.address);
  }

  /**
   * Generates a fresh agent, has the master sign `approveAgent` for it, and sends it. The agent key
   * is kept only if the venue accepted it; its address is burned either way (never reused).
   */
  async approveAgent(input: { master: SignerRef; name: string; validDays: number; confirm: OwnerConfirm }): Promise<PublicKey> {
    if (!/^[A-Za-z0-9 _-]{1,16}$/.test(input.name)) throw new VaultError('invalid-request', 'agent name: 1–16 letters, digits, spaces, - or _');
    if (!(input.validDays >= 1 && input.validDays <= MAX_AGENT_DAYS)) throw new VaultError('invalid-request', `agent validity: 1 to ${MAX_AGENT_DAYS} days`);
    const signer = this.signerFor(input.master);
    const masterAddress = (await signer.address()).toLowerCase();
    const validUntil = this.now() + Math.round(input.validDays) * DAY;
    // A Ledger master shows the approval on its own screen: that press is the confirmation.
    const confirmedOnDevice = input.master.kind === 'ledger' && input.confirm.kind === 'ledger' && input.confirm.address.toLowerCase() === masterAddress;
    if (!confirmedOnDevice) await this.confirmOwner(input.confirm, `approve agent "${input.name}" to trade for ${masterAddress} until ${new Date(validUntil).toISOString().slice(0, 16)} UTC`);
    const network = this.hl.network;
    if (network === 'paper' && this.hl.fundPaper) await this.hl.fundPaper(masterAddress);
    const agent = await this.vault.generateKey({
      label: `${input.name} (agent)`,
      role: 'agent',
      venue: 'hyperliquid',
      agent: { master: masterAddress, name: input.name, validUntil, approvedAt: null, approvedWith: null, network },
    });
    try {
      const agentAddress = agent.address.toLowerCase();
      await this.postAgent(signer, agentAddress, input.name, validUntil, `approveAgent ${agentAddress} "${input.name}" until ${new Date(validUntil).toISOString()}`);
      await this.vault.updateAgent(agent.id, { master: masterAddress, name: input.name, validUntil, approvedAt: this.now(), approvedWith: signer.kind, network });
      return this.vault.key(agent.id);
    } catch (err) {
      await this.vault.deleteKey(agent.id).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Revoke-all (issue "Kill switch", item 5): every Hyperliquid agent on this network is replaced
   * at the venue by a fresh address whose key is thrown away at once (approving a burned address
   * in its slot, so the old agent can no longer sign), its key is deleted here, and the vault is
   * locked. Each master signs for its own agents: a local key, or the Ledger (asked on the device).
   * What could not be revoked is said, with why; the vault is locked either way.
   */
  async revokeAll(confirm: OwnerConfirm): Promise<{ revoked: string[]; failed: string[] }> {
    if (!this.vault.isUnlocked) throw new VaultError('locked', 'the vault is locked: unlock it to revoke its agents (the venue still knows them until then)');
    const agents = this.vault.describe().keys.filter((k) => k.role === 'agent' && k.venue === 'hyperliquid' && k.agent && k.agent.network === this.hl.network && k.agent.approvedAt !== null);
    const ledgerMasters = new Set(this.vault.ledgerAccounts.map((a) => a.address.toLowerCase()));
    const masters = new Set(agents.map((a) => a.agent!.master.toLowerCase()));
    // A passphrase confirms for local masters; a Ledger master confirms on its own screen.
    if (confirm.kind === 'passphrase') await this.vault.verifyPassphrase(confirm.passphrase);
    else if (![...masters].some((m) => m === confirm.address.toLowerCase())) await this.confirmOwner(confirm, `revoke all ${agents.length} agents and lock the vault`);
    const revoked: string[] = [];
    const failed: string[] = [];
    for (const agent of agents) {
      const a = agent.agent!;
      const master = a.master.toLowerCase();
      const local = this.masterKey(master);
      const ref: SignerRef | null = local ? { kind: 'local', keyId: local.id } : ledgerMasters.has(master) ? { kind: 'ledger', address: master } : null;
      const name = `"${a.name}" (${agent.address.slice(0, 8)}…)`;
      if (!ref) {
        failed.push(`${name}: its master ${master} is neither a key here nor a Ledger account; revoke it on the venue`);
        continue;
      }
      try {
        const burned = Wallet.createRandom().address.toLowerCase();
        await this.postAgent(this.signerFor(ref), burned, a.name, this.now() + DAY, `revoke agent ${agent.address} "${a.name}": its slot goes to the burned address ${burned}`);
        await this.vault.deleteKey(agent.id);
        revoked.push(name);
      } catch (err) {
        failed.push(`${name}: ${(err as Error).message}`);
      }
    }
    // Derive has no revoke (venues.md §3.6): its session keys are deleted here, so nobody here can
    // sign with them; the venue keeps each registered, unusable without its key, until it expires.
    const sessions = this.vault.describe().keys.filter((k) => k.role === 'agent' && k.venue === 'derive' && k.agent && k.agent.network === this.hl.network);
    for (const k of sessions) {
      try {
        await this.vault.deleteKey(k.id);
        revoked.push(`Derive session key "${k.agent!.name}" (${k.address.slice(0, 8)}…) deleted here; Derive keeps it registered until ${k.agent!.validUntil ? new Date(k.agent!.validUntil).toISOString().slice(0, 16) : 'its expiry'} UTC with no key to sign`);
      } catch (err) {
        failed.push(`Derive session key "${k.agent!.name}": ${(err as Error).message}`);
      }
    }
    this.vault.lock('all agents revoked');
    return { revoked, failed };
  }

  /** The vault's usable master key for an address, if it holds one. */
  private masterKey(address: string): PublicKey | undefined {
    const a = address.toLowerCase();
    return this.vault.describe().keys.find((k) => k.role === 'master' && !k.damaged && k.address.toLowerCase() === a);
  }

  /** The master signs `approveAgent` for `agentAddress` in slot `name` and it is sent; the venue's refusal throws. */
  private async postAgent(signer: Signer, agentAddress: string, name: string, validUntil: number, summary: string): Promise<void> {
    const nonce = this.nextNonce();
    const action = { type: 'approveAgent', signatureChainId: SIGNATURE_CHAIN_ID, hyperliquidChain: this.isMainnet ? 'Mainnet' : 'Testnet', agentAddress, agentName: `${name} valid_until ${validUntil}`, nonce };
    const signature = await this.signJournaled(signer, userSignedTypedData('approveAgent', action), 'hl-user', summary, { kind: 'agent-approval' });
    const answer = await this.hl.post({ action, nonce, signature: toWireSignature(signature), vaultAddress: null });
    if (answer.status !== 'ok') throw new VaultError('refused', `Hyperliquid refused the agent: ${answer.response}`);
  }

  /**
   * Signs an L1 action (order, cancel …) with an approved agent, after the budget guard. The guard
   * reads the action itself and asks the venue for the master's positions; the caller says only
   * why (`purpose`), which is journaled and changes no limit.
   */
  async signL1(input: { agentKeyId: string; action: Record<string, unknown>; vaultAddress?: string | null; expiresAfter?: number | null; purpose: Purpose; summary?: string }): Promise<{ nonce: number; signature: WireSignature }> {
    const agent = this.vault.key(input.agentKeyId);
    if (agent.role !== 'agent' || !agent.agent) throw new VaultError('refused', `"${agent.label}" is not an agent key; trading actions are signed by agents only`);
    if (agent.agent.approvedAt === null) throw new VaultError('refused', `agent "${agent.agent.name}" was never approved by the venue`);
    if (agent.agent.validUntil !== null && agent.agent.validUntil <= this.now()) throw new VaultError('refused', `agent "${agent.agent.name}" expired on ${new Date(agent.agent.validUntil).toISOString().slice(0, 16)} UTC; approve a new one`);
    if (agent.agent.network !== this.hl.network) throw new VaultError('refused', `agent "${agent.agent.name}" was approved on ${agent.agent.network}, not ${this.hl.network}`);
    const signer = new LocalSigner(this.vault, input.agentKeyId);
    const nonce = this.nextNonce();
    const hash = actionHash(input.action, nonce, input.vaultAddress ?? null, input.expiresAfter ?? null);
    const td = l1TypedData(hash, this.isMainnet);
    const hashes = typedDataHashes(td);
    const base = await this.journalBase(signer, hashes.digest, 'hl-l1', input.summary ?? (typeof input.action.type === 'string' ? input.action.type : 'action'), agent);
    const read = readHyperliquidAction(input.action);
    const signature = await this.guarded(base, read.ok ? read.action : read.reason, () => this.venueView((input.vaultAddress ?? agent.agent!.master).toLowerCase()), input.purpose, 'hyperliquid', () => signer.signTypedData(td, hashes));
    return { nonce, signature: toWireSignature(signature) };
  }

  /**
   * Guard → produce → journal, for every venue: the action as main read it (or why it could not),
   * checked against the budget and what main itself asked the venue, reserved while `produce`
   * runs (the signature; for Deribit nothing, main sends after), then journaled. A refusal is
   * journaled too and thrown as a VaultError.
   */
  async guarded<T>(base: Omit<JournalEntry, 'intent' | 'outcome' | 'refusal' | 'usageBefore'>, action: ReadAction | string, loadView: () => Promise<VenueView>, purpose: Purpose, venue: 'hyperliquid' | 'deribit' | 'derive' | 'aave', produce: () => Promise<T>): Promise<T> {
    const refuse = async (message: string, usageBefore: WindowUsage | null = null): Promise<never> => {
      await this.journal.append({ ...base, intent: { kind: 'other' }, usageBefore, outcome: 'refused', refusal: message });
      throw new VaultError('refused', `budget: ${message}`);
    };
    if (typeof action === 'string') return refuse(action);
    let reservation: Reservation | null = null;
    let intents: GuardedIntent[] = [];
    let usageBefore: WindowUsage | null = null;
    if (action.kind !== 'no-exposure') {
      let view;
      try {
        // Positions and open orders of the account that trades (a vault, its master, the API key's account).
        view = await loadView();
      } catch (err) {
        return refuse(`cannot check the budget: the venue's positions could not be read (${(err as Error).message})`);
      }
      // Check and reserve with no await between them: JavaScript runs this block to the end, so
      // it is the lock; ten signatures at once each see the ones before them.
      const budget = this.vault.budget();
      usageBefore = this.usageWithReserved();
      const verdict = checkBudget({ budget: { limits: budget.record?.limits ?? null, valid: budget.valid, problem: budget.problem }, action, view, usage: usageBefore, pending: this.pendingExposure(), purpose, venue });
      if (!verdict.ok) return refuse(verdict.message, usageBefore);
      intents = verdict.intents;
      reservation = this.reserve(intents);
    }
    try {
      const produced = await produce();
      const intent = intents[0] ?? { kind: 'no-exposure' as const };
      await this.journal.append({ ...base, intent, ...(intents.length > 1 ? { intents } : {}), usageBefore, outcome: 'signed', refusal: null });
      if (reservation) reservation.signedAt = this.now();
      return produced;
    } finally {
      // Usage now counts from the journal; the position exposure lingers a little (above).
      if (reservation) {
        reservation.notionalUsd = 0;
        reservation.collateralUsd = 0;
        if (reservation.signedAt === null) this.reservations.delete(reservation);
      }
    }
  }

  /**
   * What the engine asks for: a venue action to sign. Main picks the venue's agent itself (the
   * newest approved, unexpired one on this network) and runs the guard on the action; the answer
   * is a signature or a refusal in words, never a throw.
   */
  async signForEngine(request: HyperliquidSignRequest): Promise<CommandResult<Signed>>;
  async signForEngine(request: SignRequest): Promise<CommandResult<SignAnswer>>;
  async signForEngine(request: SignRequest): Promise<CommandResult<SignAnswer>> {
    if (request.venue === 'deribit') {
      if (!this.deribit) return fail('unavailable', 'Deribit trading is not set up in this host');
      return request.kind === 'login' ? this.deribit.login() : this.deribit.send(request);
    }
    if (request.venue === 'derive') {
      if (!this.derive) return fail('unavailable', 'Derive trading is not set up in this host');
      return request.kind === 'login' ? this.derive.login() : this.derive.send(request);
    }
    if (request.venue === 'aave') return this.signAave(request);
    if ('kind' in request) return ok({ hyperliquidAccount: this.currentAgent()?.agent?.master.toLowerCase() ?? null });
    try {
      // Locked says locked: the agent is still there, the trader only has to unlock.
      if (!this.vault.isUnlocked) return fail('locked', 'the vault is locked: unlock it with your passphrase before anything can be signed');
      const agent = this.currentAgent();
      if (!agent) return fail('refused', `no approved Hyperliquid agent on ${this.hl.network}: approve one in Vault before anything can trade`);
      const signed = await this.signL1({ agentKeyId: agent.id, action: request.action, vaultAddress: request.vaultAddress ?? null, expiresAfter: request.expiresAfter ?? null, purpose: request.purpose, ...(request.summary ? { summary: request.summary } : {}) });
      return ok({ ...signed, account: agent.agent!.master });
    } catch (err) {
      return fail(refusalCodeOf(err) ?? 'internal', err instanceof Error ? err.message : 'the signature failed');
    }
  }

  /**
   * An Aave transaction: main reads it itself (aave-tx.ts), the budget guard counts a supply or
   * repay against the daily collateral limit at the oracle's price, and the master that owns
   * `from` signs it: a vault key (never an agent), or the Ledger, which shows the transaction on
   * its screen and waits for the press. The engine broadcasts the raw transaction.
   */
  private async signAave(request: AaveTxRequest): Promise<CommandResult<SignAnswer>> {
    try {
      if (!this.vault.isUnlocked) return fail('locked', 'the vault is locked: unlock it with your passphrase before anything can be signed');
      const key = this.masterKey(request.from);
      const onLedger = key ? undefined : this.vault.ledgerAccounts.find((a) => a.address.toLowerCase() === request.from.toLowerCase());
      if (!key && !onLedger) return fail('refused', `no key in the vault and no Ledger account for ${request.from}: the Aave account must be one of your master keys or a Ledger account added on the Vault screen`);
      const signer = key ? new LocalSigner(this.vault, key.id) : this.signerFor({ kind: 'ledger', address: onLedger!.address });
      const read = await readAaveTx(request, (await this.aave?.()) ?? null);
      const tx = typeof read === 'string' ? null : read.tx;
      const base = await this.journalBase(signer, tx ? unsignedTransaction(tx).unsignedHash : '0x', 'transaction', typeof read === 'string' ? (request.summary ?? 'Aave transaction') : read.what, key);
      // A refusal (read as words) is journaled and thrown by the guard before anything is signed.
      const rawTx = await this.guarded(base, typeof read === 'string' ? read : read.action, () => Promise.resolve(NO_POSITIONS), request.purpose, 'aave', () => signer.signTransaction(tx!));
      return ok({ rawTx });
    } catch (err) {
      return fail(refusalCodeOf(err) ?? 'internal', err instanceof Error ? err.message : 'the signature failed');
    }
  }

  /** The agent that trades now: approved by the venue, not expired, on this network; the newest wins. */
  currentAgent(): PublicKey | null {
    if (!this.vault.isUnlocked) return null;
    const now = this.now();
    const agents = this.vault
      .describe()
      .keys.filter((k) => k.role === 'agent' && k.venue === 'hyperliquid' && !k.damaged && k.agent && k.agent.approvedAt !== null && k.agent.network === this.hl.network && (k.agent.validUntil === null || k.agent.validUntil > now));
    return agents.sort((a, b) => (b.agent!.approvedAt ?? 0) - (a.agent!.approvedAt ?? 0))[0] ?? null;
  }

  /** Signs an L1 action and sends it; the venue's answer comes back as it is. */
  async sendL1(input: Parameters<SigningService['signL1']>[0]): Promise<ExchangeResponse> {
    const { nonce, signature } = await this.signL1(input);
    return this.hl.post({ action: input.action, nonce, signature, vaultAddress: input.vaultAddress ?? null, ...(input.expiresAfter ? { expiresAfter: input.expiresAfter } : {}) });
  }

  /**
   * The owner says yes to an irreversible or money-moving command: the passphrase typed again, or
   * a signature on the Ledger over what is about to happen (journaled like any signature).
   */
  async confirmOwner(confirm: OwnerConfirm, what: string): Promise<void> {
    if (confirm.kind === 'passphrase') {
      await this.vault.verifyPassphrase(confirm.passphrase);
      return;
    }
    const signer = this.signerFor({ kind: 'ledger', address: confirm.address });
    await this.signJournaled(signer, confirmTypedData(what, this.now()), 'eip712', `confirm: ${what}`, { kind: 'other' });
  }

  /** The limits, confirmed on the Ledger (EIP-712 over the limits) or by the passphrase. */
  async approveBudget(limits: BudgetLimits, confirm: OwnerConfirm): Promise<void> {
    if (!this.vault.isUnlocked) throw new VaultError('locked', 'the vault is locked: unlock it with your passphrase');
    let generation: number;
    let by: { kind: 'local' | 'ledger'; address: string };
    if (confirm.kind === 'passphrase') {
      await this.vault.verifyPassphrase(confirm.passphrase);
      generation = await this.vault.setBudget(limits, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
      by = { kind: 'local', address: 'passphrase' };
    } else {
      const signer = this.signerFor({ kind: 'ledger', address: confirm.address });
      const td = budgetTypedData(limits, this.now());
      const signature = await this.signJournaled(signer, td, 'eip712', 'budget approval', { kind: 'budget-approval' });
      generation = await this.vault.setBudget(limits, { approvedWith: 'ledger', ledgerAddress: confirm.address, signature: signature.toLowerCase() });
      by = { kind: 'ledger', address: confirm.address };
    }
    // The approval's generation goes to the append-only journal: a vault file restored from
    // before it carries a lower one, and its budget is not trusted.
    await this.journal.append({
      at: this.now(),
      signer: { ...by, keyId: null, role: by.kind === 'ledger' ? 'ledger' : 'passphrase' },
      scheme: 'message',
      summary: `budget approval #${generation}`,
      digest: '',
      intent: { kind: 'budget-approval' },
      limits,
      usageBefore: null,
      outcome: 'signed',
      refusal: null,
      budgetGeneration: generation,
    });
  }

  private async journalBase(signer: Signer, digest: string, scheme: JournalEntry['scheme'], summary: string, key?: PublicKey): Promise<Omit<JournalEntry, 'intent' | 'outcome' | 'refusal' | 'usageBefore'>> {
    const address = await signer.address();
    return {
      at: this.now(),
      signer: { kind: signer.kind, address, keyId: key?.id ?? (signer instanceof LocalSigner ? signer.keyId : null), role: key?.role ?? (signer.kind === 'ledger' ? 'ledger' : 'master') },
      scheme,
      summary: summary.slice(0, 200),
      digest,
      limits: this.vault.budget().record?.limits ?? null,
    };
  }

  /** Signatures that move no money by themselves (agent and budget approvals): journaled, no guard. */
  async signJournaled(signer: Signer, td: TypedDataPayload, scheme: JournalEntry['scheme'], summary: string, intent: JournalEntry['intent'], key?: PublicKey): Promise<string> {
    // Hashed once: the journal records the digest that is signed.
    const hashes = typedDataHashes(td);
    const base = await this.journalBase(signer, hashes.digest, scheme, summary, key);
    const signature = await signer.signTypedData(td, hashes);
    await this.journal.append({ ...base, intent, usageBefore: null, outcome: 'signed', refusal: null });
    return signature;
  }

  private reserve(intents: GuardedIntent[]): Reservation {
    const r: Reservation = { notionalUsd: 0, collateralUsd: 0, buys: new Map(), sells: new Map(), signedAt: null };
    for (const i of intents) {
      const counted = i.reducesOnly !== true;
      if (i.kind === 'collateral') r.collateralUsd += counted ? i.amountUsd : 0;
      else {
        r.notionalUsd += counted ? i.notionalUsd : 0;
        for (const leg of i.legs ?? []) {
          const side = leg.side === 'buy' ? r.buys : r.sells;
          side.set(leg.coin, (side.get(leg.coin) ?? 0) + leg.size);
        }
      }
    }
    this.reservations.add(r);
    return r;
  }

  private usageWithReserved(): WindowUsage {
    const u = this.journal.usage();
    for (const r of this.reservations) {
      u.hedgeNotionalUsd += r.notionalUsd;
      u.collateralUsd += r.collateralUsd;
    }
    return u;
  }

  private pendingExposure(): PendingExposure {
    const now = this.now();
    const p: PendingExposure = { buys: new Map(), sells: new Map() };
    for (const r of this.reservations) {
      if (r.signedAt !== null && now - r.signedAt > RECENT_EXPOSURE_MS) {
        this.reservations.delete(r);
        continue;
      }
      for (const [coin, n] of r.buys) p.buys.set(coin, (p.buys.get(coin) ?? 0) + n);
      for (const [coin, n] of r.sells) p.sells.set(coin, (p.sells.get(coin) ?? 0) + n);
    }
    return p;
  }

  /** Milliseconds, strictly increasing per process (the venue rejects a repeated nonce). */
  private nextNonce(): number {
    this.lastNonce = Math.max(this.now(), this.lastNonce + 1);
    return this.lastNonce;
  }
}

/** What the Ledger shows for a confirmation: the action in words and when it was asked. */
export function confirmTypedData(what: string, at: number): TypedDataPayload {
  return {
    domain: { name: 'DeltaDesk Confirm', version: '1', chainId: 1, verifyingContract: '0x0000000000000000000000000000000000000000' },
    types: { Confirm: [{ name: 'action', type: 'string' }, { name: 'at', type: 'uint64' }] },
    primaryType: 'Confirm',
    message: { action: what.slice(0, 200), at },
  };
}

export function budgetTypedData(limits: BudgetLimits, approvedAt: number): TypedDataPayload {
  return {
    domain: { name: 'DeltaDesk Budget', version: '1', chainId: 1, verifyingContract: '0x0000000000000000000000000000000000000000' },
    types: {
      Budget: [
        { name: 'maxOrderNotionalUsd', type: 'string' },
        { name: 'maxPositionUsd', type: 'string' },
        { name: 'maxDailyHedgeNotionalUsd', type: 'string' },
        { name: 'maxDailyCollateralUsd', type: 'string' },
        { name: 'approvedAt', type: 'uint64' },
      ],
    },
    primaryType: 'Budget',
    message: {
      maxOrderNotionalUsd: String(limits.maxOrderNotionalUsd),
      maxPositionUsd: JSON.stringify(limits.maxPositionUsd),
      maxDailyHedgeNotionalUsd: String(limits.maxDailyHedgeNotionalUsd),
      maxDailyCollateralUsd: String(limits.maxDailyCollateralUsd),
      approvedAt,
    },
  };
}
