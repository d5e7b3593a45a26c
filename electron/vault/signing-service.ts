import { actionHash, l1TypedData, toWireSignature, userSignedTypedData, type WireSignature } from '../venues/hyperliquid/signing.ts';
import type { ExchangeResponse, SignedEnvelope } from '../venues/hyperliquid/exchange-client.ts';
import type { TypedDataPayload } from '../../shared/domain/typed-data.ts';
import { checkBudget, type GuardedIntent } from './budget-guard.ts';
import { LedgerSigner } from './ledger/ledger-signer.ts';
import type { LedgerDevice } from './ledger/ledger-device.ts';
import { LocalSigner } from './local-signer.ts';
import { typedDataHashes, type Signer } from './signer.ts';
import type { JournalEntry, SignatureJournal } from './signature-journal.ts';
import { VaultError } from './vault-error.ts';
import type { BudgetLimits } from './vault-file.ts';
import type { PublicKey, Vault } from './vault.ts';

export type SignerRef = { kind: 'local'; keyId: string } | { kind: 'ledger'; address: string };

export interface HyperliquidNetwork {
  /** Paper trading signs as testnet, so a paper signature is never valid on mainnet. */
  network: 'paper' | 'testnet' | 'mainnet';
  post: (envelope: SignedEnvelope) => Promise<ExchangeResponse>;
}

const SIGNATURE_CHAIN_ID = '0x66eee';
const DAY = 86_400_000;
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
  private lastNonce = 0;

  constructor(deps: { vault: Vault; journal: SignatureJournal; ledger: LedgerDevice | null; hyperliquid: HyperliquidNetwork; now?: () => number }) {
    this.vault = deps.vault;
    this.journal = deps.journal;
    this.ledger = deps.ledger;
    this.hl = deps.hyperliquid;
    this.now = deps.now ?? Date.now;
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
  async approveAgent(input: { master: SignerRef; name: string; validDays: number }): Promise<PublicKey> {
    if (!/^[A-Za-z0-9 _-]{1,16}$/.test(input.name)) throw new VaultError('invalid-request', 'agent name: 1–16 letters, digits, spaces, - or _');
    if (!(input.validDays >= 1 && input.validDays <= MAX_AGENT_DAYS)) throw new VaultError('invalid-request', `agent validity: 1 to ${MAX_AGENT_DAYS} days`);
    const signer = this.signerFor(input.master);
    const masterAddress = (await signer.address()).toLowerCase();
    const validUntil = this.now() + Math.round(input.validDays) * DAY;
    const network = this.hl.network;
    const agent = await this.vault.generateKey({
      label: `${input.name} (agent)`,
      role: 'agent',
      venue: 'hyperliquid',
      agent: { master: masterAddress, name: input.name, validUntil, approvedAt: null, approvedWith: null, network },
    });
    try {
      const nonce = this.nextNonce();
      const action = {
        type: 'approveAgent',
        signatureChainId: SIGNATURE_CHAIN_ID,
        hyperliquidChain: this.isMainnet ? 'Mainnet' : 'Testnet',
        agentAddress: agent.address.toLowerCase(),
        agentName: `${input.name} valid_until ${validUntil}`,
        nonce,
      };
      const td = userSignedTypedData('approveAgent', action);
      const signature = await this.signJournaled(signer, td, 'hl-user', `approveAgent ${action.agentAddress} "${input.name}" until ${new Date(validUntil).toISOString()}`, { kind: 'agent-approval' });
      const answer = await this.hl.post({ action, nonce, signature: toWireSignature(signature), vaultAddress: null });
      if (answer.status !== 'ok') throw new VaultError('refused', `Hyperliquid refused the agent: ${answer.response}`);
      await this.vault.updateAgent(agent.id, { master: masterAddress, name: input.name, validUntil, approvedAt: this.now(), approvedWith: signer.kind, network });
      return this.vault.key(agent.id);
    } catch (err) {
      await this.vault.deleteKey(agent.id).catch(() => undefined);
      throw err;
    }
  }

  /** Signs an L1 action (order, cancel …) with an approved agent, after the budget guard. */
  async signL1(input: { agentKeyId: string; action: Record<string, unknown>; vaultAddress?: string | null; expiresAfter?: number | null; intent: GuardedIntent | null; summary: string }): Promise<{ nonce: number; signature: WireSignature }> {
    const agent = this.vault.key(input.agentKeyId);
    if (agent.role !== 'agent' || !agent.agent) throw new VaultError('refused', `"${agent.label}" is not an agent key; trading actions are signed by agents only`);
    if (agent.agent.approvedAt === null) throw new VaultError('refused', `agent "${agent.agent.name}" was never approved by the venue`);
    if (agent.agent.validUntil !== null && agent.agent.validUntil <= this.now()) throw new VaultError('refused', `agent "${agent.agent.name}" expired on ${new Date(agent.agent.validUntil).toISOString().slice(0, 16)} UTC; approve a new one`);
    if (agent.agent.network !== this.hl.network) throw new VaultError('refused', `agent "${agent.agent.name}" was approved on ${agent.agent.network}, not ${this.hl.network}`);
    const nonce = this.nextNonce();
    const hash = actionHash(input.action, nonce, input.vaultAddress ?? null, input.expiresAfter ?? null);
    const td = l1TypedData(hash, this.isMainnet);
    const signature = await this.signJournaled(new LocalSigner(this.vault, input.agentKeyId), td, 'hl-l1', input.summary, input.intent ?? { kind: 'other' }, agent);
    return { nonce, signature: toWireSignature(signature) };
  }

  /** Signs an L1 action and sends it; the venue's answer comes back as it is. */
  async sendL1(input: Parameters<SigningService['signL1']>[0]): Promise<ExchangeResponse> {
    const { nonce, signature } = await this.signL1(input);
    return this.hl.post({ action: input.action, nonce, signature, vaultAddress: input.vaultAddress ?? null, ...(input.expiresAfter ? { expiresAfter: input.expiresAfter } : {}) });
  }

  /** The limits, confirmed on the Ledger (EIP-712 over the limits) or by the passphrase. */
  async approveBudget(limits: BudgetLimits, confirm: { kind: 'passphrase'; passphrase: string } | { kind: 'ledger'; address: string }): Promise<void> {
    if (!this.vault.isUnlocked) throw new VaultError('locked', 'the vault is locked: unlock it with your passphrase');
    if (confirm.kind === 'passphrase') {
      await this.vault.verifyPassphrase(confirm.passphrase);
      await this.vault.setBudget(limits, { approvedWith: 'passphrase', ledgerAddress: null, signature: null });
      return;
    }
    const signer = this.signerFor({ kind: 'ledger', address: confirm.address });
    const td = budgetTypedData(limits, this.now());
    const signature = await this.signJournaled(signer, td, 'eip712', 'budget approval', { kind: 'budget-approval' });
    await this.vault.setBudget(limits, { approvedWith: 'ledger', ledgerAddress: confirm.address, signature: signature.toLowerCase() });
  }

  private async signJournaled(signer: Signer, td: TypedDataPayload, scheme: JournalEntry['scheme'], summary: string, intent: JournalEntry['intent'], key?: PublicKey): Promise<string> {
    const budget = this.vault.budget();
    const usage = this.journal.todaysUsage();
    const address = await signer.address();
    const hashes = typedDataHashes(td);
    const base = {
      at: this.now(),
      signer: { kind: signer.kind, address, keyId: key?.id ?? (signer instanceof LocalSigner ? signer.keyId : null), role: key?.role ?? (signer.kind === 'ledger' ? 'ledger' : 'master') },
      scheme,
      summary,
      digest: hashes.digest,
      intent,
      limits: budget.record?.limits ?? null,
      usageBefore: usage,
    };
    if (intent.kind === 'order' || intent.kind === 'collateral') {
      const verdict = checkBudget({ limits: budget.record?.limits ?? null, valid: budget.valid }, intent, usage);
      if (!verdict.ok) {
        await this.journal.append({ ...base, outcome: 'refused', refusal: verdict.message });
        throw new VaultError('refused', `budget: ${verdict.message}`);
      }
    }
    const signature = await signer.signTypedData(td, hashes);
    await this.journal.append({ ...base, outcome: 'signed', refusal: null });
    return signature;
  }

  /** Milliseconds, strictly increasing per process (the venue rejects a repeated nonce). */
  private nextNonce(): number {
    this.lastNonce = Math.max(this.now(), this.lastNonce + 1);
    return this.lastNonce;
  }
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
