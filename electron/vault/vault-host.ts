import { chmod, mkdir } from 'node:fs/promises';
import type { AaveGuardConfig } from './guard/aave-tx.ts';
import path from 'node:path';
import type { HostHandlers } from '../border/command-router.ts';
import { postExchange, claimPaperFunds } from '../venues/hyperliquid/exchange-client.ts';
import type { VaultStatus } from '../../shared/contract/vault-schemas.ts';
import { AutoLock } from './auto-lock.ts';
import { LedgerDevice, type LedgerStatus } from './ledger/ledger-device.ts';
import type { Transport } from './ledger/ledger-modules.ts';
import { cachedVenueView } from './guard/venue-view-cache.ts';
import { hyperliquidVenueView, type ReadVenueView } from './guard/venue-view.ts';
import { checkInThread, PassphraseChecker, type CheckStrength } from './passphrase-checker.ts';
import { SignatureJournal } from './signature-journal.ts';
import { SigningService } from './signing-service.ts';
import { VaultError } from './vault-error.ts';
import { Vault } from './vault.ts';
import { DeribitSigning, type DeribitEndpoint } from './deribit/deribit-signing.ts';
import { DeriveSigning, type DeriveEndpoint } from './derive/derive-signing.ts';
import type { Network } from '../../shared/domain/networks.ts';

export type VaultHandlers = Omit<HostHandlers, 'app.info' | 'app.keymap' | 'app.health' | 'app.networks' | 'app.setNetworks'>;

export interface VaultHostOptions {
  dataDir: string | null;
  /** Hyperliquid's network now (it follows the trader's network setting; agents are per network). */
  network: Network | (() => Network);
  /** Where signed Hyperliquid actions go (the simulator in paper mode). */
  hyperliquidHttpUrl: () => Promise<string>;
  openLedger: () => Promise<Transport>;
  /** Electron: seconds the whole system has been idle (powerMonitor); absent in the headless host. */
  systemIdleSeconds?: () => number;
  canRemember?: boolean;
  now?: () => number;
  /** Tests only: a cheaper scrypt. */
  scryptCost?: { N: number; r: number; p: number };
  /** The built passphrase-strength worker; without it (unit tests) the check runs in this thread. */
  passphraseWorker?: URL;
  /** Tests only: positions and prices for the budget guard without a venue. */
  venueView?: ReadVenueView;
  /** Where the running engine's Deribit is (absent: Deribit cannot trade from this host). */
  deribit?: () => Promise<DeribitEndpoint | null>;
  /** Tests: a shorter Deribit heartbeat for main's trading connection. */
  deribitHeartbeatS?: number;
  /** Where Derive is (main's own HTTP line for session keys and signed orders); absent: Derive does not trade. */
  derive?: () => Promise<DeriveEndpoint | null>;
  /** The Aave market transactions are checked against (the running engine's; absent: Aave is not signed). */
  aave?: () => Promise<AaveGuardConfig | null>;
}

/**
 * The vault as a host offers it: the same handlers serve Electron main and the headless host, so
 * both apply the same rules. It needs a data folder: keys are kept nowhere but its encrypted file.
 */
export class VaultHost {
  readonly vault: Vault;
  readonly journal: SignatureJournal;
  readonly ledger: LedgerDevice;
  readonly signing: SigningService;
  readonly autoLock: AutoLock;
  /** Deribit's login and order sending (main's trading connection), when Deribit is set up. */
  readonly deribit: DeribitSigning | null = null;
  readonly derive: DeriveSigning | null = null;
  private readonly options: VaultHostOptions;
  private readonly dataDir: string;
  private readonly checker: PassphraseChecker | null;
  private readonly checkStrength: CheckStrength;

  constructor(options: VaultHostOptions) {
    if (!options.dataDir) throw new Error('the vault needs a data folder');
    this.options = options;
    this.dataDir = options.dataDir;
    const now = options.now ?? Date.now;
    const networkOf = (): Network => (typeof options.network === 'function' ? options.network() : options.network);
    this.checker = options.passphraseWorker ? new PassphraseChecker(options.passphraseWorker) : null;
    this.checkStrength = this.checker?.check ?? checkInThread;
    this.journal = new SignatureJournal(path.join(options.dataDir, 'signatures.jsonl'), now);
    this.vault = new Vault(path.join(options.dataDir, 'vault.json'), {
      now,
      checkStrength: this.checkStrength,
      journaledBudgetGeneration: () => this.journal.budgetGeneration,
      ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    });
    this.ledger = new LedgerDevice(options.openLedger);
    this.signing = new SigningService({
      vault: this.vault,
      journal: this.journal,
      ledger: this.ledger,
      hyperliquid: {
        get network() {
          return networkOf();
        },
        post: async (env) => postExchange(await options.hyperliquidHttpUrl(), env),
        // Paper only (signing-service checks the network): the simulator's one-time paper deposit.
        fundPaper: async (user: string) => claimPaperFunds(await options.hyperliquidHttpUrl(), user),
      },
      venueView: options.venueView ?? cachedVenueView(hyperliquidVenueView(options.hyperliquidHttpUrl)),
      now,
    });
    if (options.aave) this.signing.attachAave(options.aave);
    if (options.deribit) {
      this.deribit = new DeribitSigning({ vault: this.vault, service: this.signing, endpoint: options.deribit, now, ...(options.deribitHeartbeatS ? { heartbeatIntervalS: options.deribitHeartbeatS } : {}) });
      this.signing.attachDeribit(this.deribit);
    }
    if (options.derive) {
      this.derive = new DeriveSigning({ vault: this.vault, service: this.signing, endpoint: options.derive, now });
      this.signing.attachDerive(this.derive);
    }
    this.autoLock = new AutoLock({
      now,
      isUnlocked: () => this.vault.isUnlocked,
      idleLimitMs: () => this.vault.idleLockMinutes * 60_000,
      lock: (reason) => this.vault.lock(reason),
      ...(options.systemIdleSeconds ? { systemIdleMs: () => options.systemIdleSeconds!() * 1000 } : {}),
    });
  }

  async start(): Promise<void> {
    // Owner only: the folder holds the vault, the signature journal and the settings.
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') await chmod(this.dataDir, 0o700);
    await this.journal.load();
    await this.vault.load();
    // No vault yet: the next thing the trader does is choose a passphrase.
    if (this.vault.describe().state === 'absent') this.checker?.warm();
    this.autoLock.start();
  }

  stop(): void {
    this.autoLock.stop();
    this.checker?.stop();
    this.vault.lock('the app closed');
    this.deribit?.close();
    void this.journal.close();
  }

  /** Suspend, screen lock, the window hidden too long: lock now. */
  lockNow(reason: string): void {
    this.vault.lock(reason);
  }

  status(): VaultStatus {
    const d = this.vault.describe();
    const budget = this.vault.budget();
    const ledger: LedgerStatus = this.ledger.snapshot;
    return {
      ...d,
      canRemember: this.options.canRemember ?? false,
      network: typeof this.options.network === 'function' ? this.options.network() : this.options.network,
      ledger,
      budget: budget.record
        ? { limits: budget.record.limits, approvedAt: budget.record.approvedAt, approvedWith: budget.record.approvedWith, ledgerAddress: budget.record.ledgerAddress, valid: budget.valid, problem: budget.problem, generation: budget.record.generation }
        : null,
      usage: { windowHours: 24, ...this.journal.usage() },
    };
  }

  handlers(): VaultHandlers {
    return {
      'app.activity': () => {
        this.autoLock.touch();
        return { ok: true as const };
      },
      'vault.status': () => this.status(),
      'vault.checkPassphrase': ({ passphrase }) => this.checkStrength(passphrase),
      'vault.create': async ({ passphrase }) => {
        await this.vault.create(passphrase);
        this.autoLock.touch();
        return this.status();
      },
      'vault.unlock': async ({ passphrase }) => {
        await this.vault.unlock(passphrase);
        this.autoLock.touch();
        return this.status();
      },
      'vault.lock': () => {
        this.vault.lock('locked by you');
        return this.status();
      },
      'vault.importKey': ({ label, privateKey, mnemonic, accountIndex }) => {
        const meta = { label, role: 'master' as const, venue: 'any' as const };
        return privateKey !== undefined ? this.vault.importPrivateKey(privateKey, meta) : this.vault.importMnemonic(mnemonic ?? '', accountIndex, meta);
      },
      'vault.deleteKey': async ({ id, confirm }) => {
        if (!this.vault.isUnlocked) throw new VaultError('locked', 'unlock the vault to delete a key');
        const key = this.vault.key(id);
        await this.signing.confirmOwner(confirm, `delete key "${key.label}" ${key.address}`);
        await this.vault.deleteKey(id);
        return this.status();
      },
      'vault.addApiKey': async ({ venue, network, label, clientId, clientSecret }) => {
        if (!this.vault.isUnlocked) throw new VaultError('locked', 'unlock the vault to add an API key');
        return this.vault.addApiKey({ venue, network, label, clientId, clientSecret });
      },
      'vault.deleteApiKey': async ({ id, confirm }) => {
        if (!this.vault.isUnlocked) throw new VaultError('locked', 'unlock the vault to delete an API key');
        const key = this.vault.apiKeys().find((k) => k.id === id);
        if (!key) throw new VaultError('invalid-request', 'no such API key');
        await this.signing.confirmOwner(confirm, `delete ${key.venue} API key "${key.label}" (${key.clientId}, ${key.network})`);
        await this.vault.deleteApiKey(id);
        return this.status();
      },
      'vault.exportKey': async ({ id, passphrase }) => {
        const key = this.vault.key(id);
        return { fileName: `UTC--${new Date().toISOString().replace(/:/g, '-')}--${key.address.slice(2).toLowerCase()}.json`, keystore: await this.vault.exportKey(id, passphrase) };
      },
      'vault.approveAgent': ({ master, name, validDays, confirm }) => this.signing.approveAgent({ master, name, validDays, confirm }),
      'vault.registerSessionKey': ({ owner, label, validDays, confirm }) => {
        if (!this.derive) throw new VaultError('unavailable', 'Derive is not set up in this host');
        return this.derive.registerSessionKey({ owner, label, validDays, confirm });
      },
      'vault.revokeAll': ({ confirm }) => this.signing.revokeAll(confirm),
      'vault.setBudget': async ({ limits, confirm }) => {
        await this.signing.approveBudget(limits, confirm);
        return this.status();
      },
      'vault.setIdleLock': async ({ minutes }) => {
        await this.vault.setIdleLockMinutes(minutes);
        return this.status();
      },
      'vault.journal': async ({ limit }) =>
        (await this.journal.recent(limit)).map((e) => ({ at: e.at, outcome: e.outcome, signer: `${e.signer.kind} ${e.signer.address}`, scheme: e.scheme, summary: e.summary, refusal: e.refusal })),
      'ledger.status': async () => this.ledger.probe(),
      'ledger.addAccount': async ({ accountIndex, label }) => {
        if (!this.vault.isUnlocked) throw new VaultError('locked', 'unlock the vault to add a Ledger account');
        const p = `44'/60'/0'/0/${accountIndex}`;
        const address = await this.ledger.getAddress(p, true);
        await this.vault.rememberLedgerAccount({ address, path: `m/${p}`, label: label || `Ledger ${accountIndex}` });
        return this.status();
      },
      'ledger.cancel': () => ({ cancelled: this.ledger.cancel() }),
    };
  }
}
