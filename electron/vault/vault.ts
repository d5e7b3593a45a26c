import { createHmac, randomBytes } from 'node:crypto';
import { computeAddress, encryptKeystoreJson, getAddress, HDNodeWallet, Mnemonic, SigningKey } from 'ethers';
import { loadJsonFile, writeFileAtomic } from '../storage/atomic-file.ts';
import { checkInThread, type CheckStrength } from './passphrase-checker.ts';
import { UnlockThrottle } from './unlock-throttle.ts';
import { DEFAULT_SCRYPT, deriveSubkeys, deriveWrappingKey, mac, macMatches, meetsFloor, newDataKey, newScryptParams, open, seal, type Subkeys } from './vault-crypto.ts';
import { VaultError } from './vault-error.ts';
import type { ApiKeyView } from '../../shared/contract/vault-schemas.ts';
import {
  anyVaultFileSchema,
  apiKeyAad,
  canonicalJson,
  MAX_API_KEYS,
  FILE_MAC_LABEL,
  keyAad,
  WRAP_AAD,
  type ApiKeyRecord,
  type BudgetLimits,
  type BudgetRecord,
  type KeyRecord,
  type KeyRole,
  type LedgerAccount,
  type UnsignedVaultFile,
  type VaultFile,
  type VaultFileV1,
} from './vault-file.ts';

export type VaultState = 'absent' | 'locked' | 'unlocked' | 'damaged';

/** A key as anyone outside the vault may see it: no secret, ever. */
export type PublicKey = Omit<KeyRecord, 'sealed'> & { damaged: boolean };

export interface VaultOptions {
  now?: () => number;
  /**
   * Tests use a cheaper scrypt, and only then does the vault accept a file that weak; a real
   * vault always writes 2^17/8/1 and refuses any file below it.
   */
  scryptCost?: { N: number; r: number; p: number };
  /** Called after every state change (unlock, lock, a key added …). */
  onChange?: () => void;
  /** The strength estimate (a worker thread in the hosts). */
  checkStrength?: CheckStrength;
  /** The highest budget generation the signature journal has seen (rollback detection). */
  journaledBudgetGeneration?: () => number;
}

export interface NewKeyMeta {
  label: string;
  role: KeyRole;
  venue: KeyRecord['venue'];
  agent?: KeyRecord['agent'];
}

const DEFAULT_IDLE_LOCK_MINUTES = 15;
// The file schema's caps: a vault never writes a file it would refuse to read back.
const MAX_KEYS = 200;
const MAX_AGENT_HISTORY = 10_000;

/**
 * The key vault. Private keys exist in plain form only inside `withSigningKey`, for the length of
 * one signature; while unlocked, memory holds the 32-byte data key and nothing else secret.
 * Locking zeroes that buffer. (Best effort: ethers keeps a hex copy of a key for the duration of
 * one signature as a JavaScript string, which cannot be wiped and lives until garbage collection.)
 *
 * Every change writes the whole file atomically; if the write fails, memory is left as it was.
 * A damaged file puts the vault in the `damaged` state, in which nothing is ever written.
 */
export class Vault {
  private file: VaultFile | VaultFileV1 | null = null;
  private state: VaultState = 'absent';
  private dataKey: Buffer | null = null;
  private subkeys: Subkeys | null = null;
  private budgetProblem: string | null = null;
  private damage: { reason: string; keptAs: string | null } | null = null;
  private damagedKeys = new Set<string>();
  private budgetValid = false;
  private unlocking = false;
  private writes: Promise<unknown> = Promise.resolve();
  private lockReason: string | null = null;
  private unlockedAt: number | null = null;
  readonly throttle = new UnlockThrottle();

  private readonly path: string;
  private readonly now: () => number;
  private readonly scryptCost: { N: number; r: number; p: number };
  private readonly onChange: () => void;
  private readonly checkStrength: CheckStrength;
  private readonly journaledBudgetGeneration: () => number;

  constructor(path: string, options: VaultOptions = {}) {
    this.path = path;
    this.now = options.now ?? Date.now;
    this.scryptCost = options.scryptCost ?? DEFAULT_SCRYPT;
    this.onChange = options.onChange ?? (() => undefined);
    this.checkStrength = options.checkStrength ?? checkInThread;
    this.journaledBudgetGeneration = options.journaledBudgetGeneration ?? (() => 0);
  }

  async load(): Promise<VaultState> {
    const loaded = await loadJsonFile(this.path, anyVaultFileSchema, this.now());
    this.lockMemory();
    if (loaded.state === 'missing') {
      this.state = 'absent';
    } else if (loaded.state === 'damaged') {
      this.markDamaged(loaded.reason, loaded.keptAs);
    } else if (!meetsFloor(loaded.value.kdf, this.scryptCost)) {
      // A weak KDF makes the passphrase cheap to brute-force; someone may have rewritten the file
      // to make it so. Refuse it loudly rather than unlock it silently.
      const k = loaded.value.kdf;
      this.markDamaged(`its key derivation is weaker than DeltaDesk allows (scrypt N=2^${Math.log2(k.N)}, r=${k.r}, p=${k.p}; at least N=2^${Math.log2(this.scryptCost.N)}, r=${this.scryptCost.r}, p=${this.scryptCost.p})`, null);
    } else {
      this.file = loaded.value;
      this.state = 'locked';
    }
    this.onChange();
    return this.state;
  }

  get currentState(): VaultState {
    return this.state;
  }

  get isUnlocked(): boolean {
    return this.state === 'unlocked';
  }

  describe(): {
    state: VaultState;
    problem: string | null;
    keptAs: string | null;
    lockReason: string | null;
    unlockedAt: number | null;
    retryInMs: number;
    idleLockMinutes: number;
    keys: PublicKey[];
    apiKeys: ApiKeyView[];
    ledgerAccounts: LedgerAccount[];
  } {
    return {
      state: this.state,
      problem: this.damageProblem(),
      keptAs: this.damage?.keptAs ?? null,
      lockReason: this.state === 'locked' ? this.lockReason : null,
      unlockedAt: this.unlockedAt,
      retryInMs: this.throttle.waitMs(this.now()),
      idleLockMinutes: this.idleLockMinutes,
      keys: (this.state === 'damaged' ? [] : (this.file?.keys ?? [])).map((k) => this.publicKey(k)),
      apiKeys: this.apiKeys(),
      ledgerAccounts: this.ledgerAccounts,
    };
  }

  get idleLockMinutes(): number {
    return this.file?.settings.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES;
  }

  get ledgerAccounts(): LedgerAccount[] {
    return this.state === 'damaged' ? [] : (this.file?.ledgerAccounts ?? []);
  }

  key(id: string): PublicKey {
    const k = this.record(id);
    return this.publicKey(k);
  }

  async create(passphrase: string): Promise<void> {
    if (this.state === 'damaged') throw new VaultError('refused', `${this.damageProblem()} Move it away or restore it before creating a new vault.`);
    if (this.state !== 'absent') throw new VaultError('refused', 'a vault already exists; delete its keys or restore from a backup instead of creating a second one');
    if (this.unlocking) throw new VaultError('refused', 'the vault is being created already');
    this.unlocking = true;
    try {
      const strength = await this.checkStrength(passphrase);
      if (!strength.acceptable) throw new VaultError('invalid-request', `passphrase ${strength.problem}`);
      const kdf = newScryptParams(this.scryptCost);
      const wrapping = await deriveWrappingKey(passphrase, kdf);
      const dataKey = newDataKey();
      const unsigned: UnsignedVaultFile = {
        format: 'deltadesk-vault',
        version: 2,
        kdf,
        wrappedKey: seal(wrapping, dataKey, WRAP_AAD),
        keys: [],
        ledgerAccounts: [],
        budget: null,
        usedAgentAddresses: [],
        settings: { idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES },
      };
      wrapping.fill(0);
      const subkeys = deriveSubkeys(dataKey);
      await this.enqueue(() => this.write(signFile(subkeys.mac, unsigned)));
      this.dataKey = dataKey;
      this.subkeys = subkeys;
      this.state = 'unlocked';
      this.unlockedAt = this.now();
      this.budgetValid = false;
      this.budgetProblem = null;
      this.onChange();
    } finally {
      this.unlocking = false;
    }
  }

  async unlock(passphrase: string): Promise<void> {
    if (this.state === 'unlocked') return;
    const file = this.requireFile();
    const dataKey = await this.unwrap(file, passphrase);
    const subkeys = deriveSubkeys(dataKey);
    if (file.version === 2 && !macMatches(subkeys.mac, FILE_MAC_LABEL, canonicalJson(unsignedPart(file)), file.mac)) {
      dataKey.fill(0);
      subkeys.seal.fill(0);
      subkeys.mac.fill(0);
      this.markDamaged('it was changed outside DeltaDesk (its authentication code does not match; a label, an agent approval, the budget or a key was edited, removed or put back)', null);
      this.onChange();
      throw new VaultError('refused', this.damageProblem() ?? 'the vault file was changed outside DeltaDesk');
    }
    if (this.state !== 'locked' || this.file !== file) {
      // Locked, reloaded or damaged while scrypt ran: this unlock no longer applies.
      dataKey.fill(0);
      throw new VaultError('refused', 'the vault changed while it was being unlocked; try again');
    }
    this.dataKey = dataKey;
    this.subkeys = subkeys;
    this.state = 'unlocked';
    this.lockReason = null;
    this.unlockedAt = this.now();
    if (file.version === 1) await this.upgradeFromV1(file, dataKey);
    this.refreshTrust();
    this.onChange();
  }

  /** Keys that will not open, and whether the budget may be used, from the (authenticated) file. */
  private refreshTrust(): void {
    const file = this.file;
    if (!file || file.version !== 2) return;
    this.damagedKeys = new Set([...file.keys.filter((k) => !this.canOpen(k)).map((k) => k.id), ...(file.apiKeys ?? []).filter((k) => !this.canOpenApiKey(k)).map((k) => k.id)]);
    const journaled = this.journaledBudgetGeneration();
    if (!file.budget) {
      this.budgetValid = false;
      this.budgetProblem = journaled > 0 ? 'the approved budget is missing from the vault file (an older file was restored?): approve it again' : null;
    } else if (file.budget.generation < journaled) {
      this.budgetValid = false;
      this.budgetProblem = `this budget is approval #${file.budget.generation}, but #${journaled} was approved since (an older vault file was restored?): approve it again`;
    } else {
      this.budgetValid = true;
      this.budgetProblem = null;
    }
  }

  /**
   * Format 1 had no file MAC and sealed keys under the data key itself. Its keys are re-sealed
   * under the seal subkey and the file is MACed; its budget is dropped (it had no generation, so
   * it cannot be told from an older one) and must be approved again.
   */
  private async upgradeFromV1(file: VaultFileV1, dataKey: Buffer): Promise<void> {
    const subkeys = this.subkeys!;
    const keys = file.keys.map((k) => {
      const secret = open(dataKey, k.sealed, keyAad(k));
      if (!secret) return k;
      try {
        return { ...k, sealed: seal(subkeys.seal, secret, keyAad(k)) };
      } finally {
        secret.fill(0);
      }
    });
    const { budget: _dropped, ...rest } = file;
    await this.enqueue(() => this.write(signFile(subkeys.mac, { ...rest, version: 2, keys, budget: null })));
  }

  /** Checks the passphrase without changing state (export, budget approval); throttled like unlock. */
  async verifyPassphrase(passphrase: string): Promise<void> {
    const key = await this.unwrap(this.requireFile(), passphrase);
    key.fill(0);
  }

  lock(reason: string): void {
    if (this.state !== 'unlocked') return;
    this.lockMemory();
    this.state = 'locked';
    this.lockReason = reason;
    this.onChange();
  }

  /** Signs a 32-byte digest with one key; the plain key exists only during this call. */
  signDigest(id: string, digest: string): string {
    return this.withSigningKey(id, (key) => key.sign(digest).serialized);
  }

  async generateKey(meta: NewKeyMeta): Promise<PublicKey> {
    for (;;) {
      const secret = randomBytes(32);
      const address = safeAddress(secret);
      if (!address) continue;
      if (meta.role === 'agent' && this.file?.usedAgentAddresses.includes(address.toLowerCase())) continue;
      return this.addKey(secret, address, meta, 'generated');
    }
  }

  async importPrivateKey(privateKeyHex: string, meta: NewKeyMeta): Promise<PublicKey> {
    const clean = privateKeyHex.trim().replace(/^0x/i, '');
    if (!/^[0-9a-fA-F]{64}$/.test(clean)) throw new VaultError('invalid-request', 'a private key is 64 hexadecimal characters (32 bytes), with or without 0x');
    const secret = Buffer.from(clean, 'hex');
    const address = safeAddress(secret);
    if (!address) throw new VaultError('invalid-request', 'not a valid secp256k1 private key (zero or above the curve order)');
    return this.addKey(secret, address, meta, 'private-key');
  }

  async importMnemonic(phrase: string, accountIndex: number, meta: NewKeyMeta): Promise<PublicKey> {
    const words = phrase.trim().toLowerCase().split(/\s+/).join(' ');
    if (!Mnemonic.isValidMnemonic(words)) throw new VaultError('invalid-request', 'not a valid BIP-39 recovery phrase (unknown word, wrong word count or bad checksum)');
    const wallet = HDNodeWallet.fromPhrase(words, undefined, `m/44'/60'/0'/0/${accountIndex}`);
    const secret = Buffer.from(wallet.privateKey.slice(2), 'hex');
    return this.addKey(secret, wallet.address, meta, 'mnemonic');
  }

  async deleteKey(id: string): Promise<void> {
    await this.mutate((file) => {
      recordIn(file, id);
      return { ...file, keys: file.keys.filter((k) => k.id !== id) };
    });
    this.damagedKeys.delete(id);
    this.onChange();
  }

  async relabel(id: string, label: string): Promise<void> {
    await this.mutate((file) => {
      recordIn(file, id);
      return { ...file, keys: file.keys.map((k) => (k.id === id ? { ...k, label } : k)) };
    });
    this.onChange();
  }

  async updateAgent(id: string, agent: NonNullable<KeyRecord['agent']>): Promise<void> {
    await this.mutate((file) => {
      if (recordIn(file, id).role !== 'agent') throw new VaultError('invalid-request', 'only agent keys carry an approval');
      return { ...file, keys: file.keys.map((k) => (k.id === id ? { ...k, agent } : k)) };
    });
    this.onChange();
  }

  /** A Web3 Secret Storage v3 keystore of one key, encrypted with the vault's passphrase. */
  async exportKey(id: string, passphrase: string): Promise<string> {
    this.requireUnlocked();
    await this.verifyPassphrase(passphrase);
    const rec = this.record(id);
    const hex = this.withSecret(rec, (secret) => `0x${secret.toString('hex')}`);
    return encryptKeystoreJson({ address: rec.address, privateKey: hex }, passphrase, { scrypt: { N: DEFAULT_SCRYPT.N, r: DEFAULT_SCRYPT.r, p: DEFAULT_SCRYPT.p } });
  }

  /** The budget is trusted only while unlocked, from a file whose MAC matched, and not rolled back. */
  budget(): { record: BudgetRecord | null; valid: boolean; problem: string | null } {
    const record = this.file?.version === 2 && this.state !== 'damaged' ? this.file.budget : null;
    return { record, valid: this.state === 'unlocked' && this.budgetValid, problem: this.state === 'unlocked' ? this.budgetProblem : null };
  }

  /** Stores newly approved limits; returns the approval's generation (journaled by the caller). */
  async setBudget(limits: BudgetLimits, approval: Pick<BudgetRecord, 'approvedWith' | 'ledgerAddress' | 'signature'>): Promise<number> {
    let generation = 0;
    await this.mutate((file) => {
      generation = Math.max(file.budget?.generation ?? 0, this.journaledBudgetGeneration()) + 1;
      return { ...file, budget: { limits, approvedAt: this.now(), ...approval, generation } };
    });
    this.budgetValid = true;
    this.budgetProblem = null;
    this.onChange();
    return generation;
  }

  async setIdleLockMinutes(minutes: number): Promise<void> {
    await this.mutate((file) => ({ ...file, settings: { ...file.settings, idleLockMinutes: minutes } }));
    this.onChange();
  }

  async rememberLedgerAccount(account: LedgerAccount): Promise<void> {
    await this.mutate((file) => {
      const others = file.ledgerAccounts.filter((a) => a.address.toLowerCase() !== account.address.toLowerCase());
      return { ...file, ledgerAccounts: [...others, account] };
    });
    this.onChange();
  }

  /** Venue API keys as the screen may see them: never the secret. */
  apiKeys(): ApiKeyView[] {
    if (this.state === 'damaged' || this.file?.version !== 2) return [];
    return (this.file.apiKeys ?? []).map(({ sealed: _sealed, ...rest }) => ({ ...rest, damaged: this.damagedKeys.has(rest.id) }));
  }

  /** Seals a venue API secret; one key per venue, network and client id. */
  async addApiKey(input: { venue: ApiKeyRecord['venue']; network: ApiKeyRecord['network']; clientId: string; clientSecret: string; label: string }): Promise<ApiKeyView> {
    const secret = Buffer.from(input.clientSecret.trim(), 'utf8');
    try {
      if (secret.length < 8 || secret.length > 128 || !/^[\x21-\x7e]+$/.test(input.clientSecret.trim())) throw new VaultError('invalid-request', 'a client secret is 8–128 printable characters without spaces');
      let rec: ApiKeyRecord | null = null;
      await this.mutate((file) => {
        const keys = file.apiKeys ?? [];
        const same = keys.find((k) => k.venue === input.venue && k.network === input.network && k.clientId === input.clientId);
        if (same) throw new VaultError('invalid-request', `this API key is already in the vault as "${same.label}"`);
        if (keys.length >= MAX_API_KEYS) throw new VaultError('refused', `the vault holds at most ${MAX_API_KEYS} API keys; delete one first`);
        let id: string;
        do id = `a-${randomBytes(8).toString('hex')}`;
        while (keys.some((k) => k.id === id));
        const header = { id, venue: input.venue, network: input.network, clientId: input.clientId };
        rec = { ...header, label: input.label, createdAt: this.now(), sealed: seal(this.requireSubkeys().seal, secret, apiKeyAad(header)) };
        return { ...file, apiKeys: [...keys, rec] };
      });
      this.onChange();
      return this.apiKeys().find((k) => k.id === rec!.id)!;
    } finally {
      secret.fill(0);
    }
  }

  async deleteApiKey(id: string): Promise<void> {
    await this.mutate((file) => {
      const keys = file.apiKeys ?? [];
      if (!keys.some((k) => k.id === id)) throw new VaultError('invalid-request', `no API key with id ${JSON.stringify(id.slice(0, 40))}`);
      return { ...file, apiKeys: keys.filter((k) => k.id !== id) };
    });
    this.damagedKeys.delete(id);
    this.onChange();
  }

  /** HMAC-SHA256 of `message` under an API key's secret, lowercase hex; the secret exists only during this call. */
  hmacWithApiKey(id: string, message: string): string {
    const rec = this.apiKeyRecord(id);
    return this.withApiSecret(rec, (secret) => createHmac('sha256', secret).update(message, 'utf8').digest('hex'));
  }

  // --- internals -------------------------------------------------------------------------------

  private apiKeyRecord(id: string): ApiKeyRecord {
    const rec = (this.file?.version === 2 ? (this.file.apiKeys ?? []) : []).find((k) => k.id === id);
    if (!rec) throw new VaultError('invalid-request', `no API key with id ${JSON.stringify(id.slice(0, 40))}`);
    return rec;
  }

  private withApiSecret<T>(rec: ApiKeyRecord, use: (secret: Buffer) => T): T {
    return this.withOpened(rec.sealed, apiKeyAad(rec), `API key "${rec.label}"`, use);
  }

  /** Opens a sealed secret for the length of `use`, then wipes it; a seal that will not open refuses. */
  private withOpened<T>(sealed: KeyRecord['sealed'], aad: string, what: string, use: (secret: Buffer) => T): T {
    const secret = open(this.requireSubkeys().seal, sealed, aad);
    if (!secret) throw new VaultError('refused', `${what} is damaged or was altered outside DeltaDesk; it will not sign`);
    try {
      return use(secret);
    } finally {
      secret.fill(0);
    }
  }

  private canOpenApiKey(rec: ApiKeyRecord): boolean {
    try {
      return this.withApiSecret(rec, (secret) => secret.length > 0);
    } catch {
      return false;
    }
  }

  private async addKey(secret: Buffer, address: string, meta: NewKeyMeta, source: KeyRecord['source']): Promise<PublicKey> {
    try {
      const checksummed = getAddress(address);
      const lower = checksummed.toLowerCase();
      let rec: KeyRecord | null = null;
      // Every check runs against the latest file, inside the write queue: five imports at once
      // each see the keys the others added.
      await this.mutate((file) => {
        const existing = file.keys.find((k) => k.address.toLowerCase() === lower);
        if (existing) throw new VaultError('invalid-request', `this key is already in the vault as "${existing.label}"`);
        if (meta.role === 'agent' && file.usedAgentAddresses.includes(lower)) throw new VaultError('refused', 'this address was already used as an agent; agent addresses are never reused');
        if (file.keys.length >= MAX_KEYS) throw new VaultError('refused', `the vault holds at most ${MAX_KEYS} keys; delete expired agents first`);
        if (file.usedAgentAddresses.length >= MAX_AGENT_HISTORY) throw new VaultError('refused', `${MAX_AGENT_HISTORY} agents were created with this vault; create a new vault for more`);
        let id: string;
        do id = `k-${randomBytes(8).toString('hex')}`;
        while (file.keys.some((k) => k.id === id));
        const header = { id, address: checksummed, role: meta.role, venue: meta.venue };
        rec = { ...header, label: meta.label, source, createdAt: this.now(), agent: meta.agent ?? null, sealed: seal(this.requireSubkeys().seal, secret, keyAad(header)) };
        return { ...file, keys: [...file.keys, rec], usedAgentAddresses: meta.role === 'agent' ? [...file.usedAgentAddresses, lower] : file.usedAgentAddresses };
      });
      this.onChange();
      return this.publicKey(rec!);
    } finally {
      secret.fill(0);
    }
  }

  private withSigningKey<T>(id: string, use: (key: SigningKey) => T): T {
    const rec = this.record(id);
    return this.withSecret(rec, (secret) => use(new SigningKey(secret)));
  }

  private withSecret<T>(rec: KeyRecord, use: (secret: Buffer) => T): T {
    return this.withOpened(rec.sealed, keyAad(rec), `key "${rec.label}"`, use);
  }

  private canOpen(rec: KeyRecord): boolean {
    try {
      return this.withSecret(rec, (secret) => safeAddress(secret)?.toLowerCase() === rec.address.toLowerCase());
    } catch {
      return false;
    }
  }

  private async unwrap(file: VaultFile | VaultFileV1, passphrase: string): Promise<Buffer> {
    const wait = this.throttle.waitMs(this.now());
    if (wait > 0) throw new VaultError('refused', `too many wrong passphrases: try again in ${Math.ceil(wait / 1000)} s`);
    if (this.unlocking) throw new VaultError('refused', 'a passphrase check is already running');
    this.unlocking = true;
    try {
      const wrapping = await deriveWrappingKey(passphrase, file.kdf);
      const dataKey = open(wrapping, file.wrappedKey, WRAP_AAD);
      wrapping.fill(0);
      if (!dataKey) {
        this.throttle.failed(this.now());
        const next = this.throttle.waitMs(this.now());
        throw new VaultError('refused', `wrong passphrase${next > 0 ? `; try again in ${Math.ceil(next / 1000)} s` : ''}`);
      }
      this.throttle.succeeded();
      return dataKey;
    } finally {
      this.unlocking = false;
    }
  }

  private damageProblem(): string | null {
    return this.damage ? `the vault file is damaged (${this.damage.reason}). It was left exactly as it was; nothing will be written to it.` : null;
  }

  private markDamaged(reason: string, keptAs: string | null): void {
    this.lockMemory();
    this.state = 'damaged';
    this.damage = { reason, keptAs };
  }

  private lockMemory(): void {
    this.dataKey?.fill(0);
    this.dataKey = null;
    this.subkeys?.seal.fill(0);
    this.subkeys?.mac.fill(0);
    this.subkeys = null;
    this.budgetProblem = null;
    this.unlockedAt = null;
    this.budgetValid = false;
    this.damagedKeys.clear();
  }

  /**
   * Every change is a function of the latest file, applied inside the write queue: concurrent
   * commands each build on what the previous one wrote, so none is lost and nothing deleted
   * comes back. Memory switches to the new file only once it is on disk; a failed write or a
   * refused change leaves memory and disk as they were.
   */
  private mutate(change: (file: VaultFile) => VaultFile): Promise<void> {
    return this.enqueue(async () => {
      const current = this.requireFile();
      if (current.version !== 2) throw new VaultError('locked', 'the vault is locked: unlock it with your passphrase');
      await this.write(signFile(this.requireSubkeys().mac, unsignedPart(change(current))));
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.writes.then(task);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async write(next: VaultFile): Promise<void> {
    if (this.state === 'damaged') throw new VaultError('refused', 'the vault file is damaged; nothing is written to it');
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
    } catch (err) {
      throw new VaultError('unavailable', `could not save the vault (${(err as Error).message}); nothing was changed`);
    }
    this.file = next;
    if (this.state === 'absent') this.state = 'locked';
  }

  private requireSubkeys(): Subkeys {
    this.requireUnlocked();
    return this.subkeys!;
  }

  private requireFile(): VaultFile | VaultFileV1 {
    if (this.state === 'damaged') throw new VaultError('refused', this.damageProblem() ?? 'the vault file is damaged');
    if (!this.file) throw new VaultError('unavailable', 'no vault yet: create one first');
    return this.file;
  }

  private requireUnlocked(): Buffer {
    if (this.state !== 'unlocked' || !this.dataKey) throw new VaultError('locked', 'the vault is locked: unlock it with your passphrase');
    return this.dataKey;
  }

  private record(id: string): KeyRecord {
    return recordIn(this.file ?? { keys: [] }, id);
  }

  private publicKey(rec: KeyRecord): PublicKey {
    const { sealed: _sealed, ...rest } = rec;
    return { ...rest, damaged: this.damagedKeys.has(rec.id) };
  }
}

function safeAddress(secret: Buffer): string | null {
  try {
    return computeAddress(new SigningKey(secret));
  } catch {
    return null;
  }
}

function unsignedPart(file: VaultFile): UnsignedVaultFile {
  const { mac: _mac, ...rest } = file;
  return rest;
}

function signFile(macKey: Buffer, unsigned: UnsignedVaultFile): VaultFile {
  return { ...unsigned, mac: mac(macKey, FILE_MAC_LABEL, canonicalJson(unsigned)) };
}

function recordIn(file: Pick<VaultFile, 'keys'>, id: string): KeyRecord {
  const rec = file.keys.find((k) => k.id === id);
  if (!rec) throw new VaultError('invalid-request', `no key with id ${JSON.stringify(id.slice(0, 40))}`);
  return rec;
}
