import { randomBytes } from 'node:crypto';
import { computeAddress, encryptKeystoreJson, getAddress, HDNodeWallet, Mnemonic, SigningKey } from 'ethers';
import { loadJsonFile, writeFileAtomic } from '../storage/atomic-file.ts';
import { checkPassphrase } from './passphrase-strength.ts';
import { UnlockThrottle } from './unlock-throttle.ts';
import { DEFAULT_SCRYPT, deriveWrappingKey, mac, macMatches, newDataKey, newScryptParams, open, seal } from './vault-crypto.ts';
import { VaultError } from './vault-error.ts';
import { keyAad, vaultFileSchema, WRAP_AAD, type BudgetLimits, type BudgetRecord, type KeyRecord, type KeyRole, type LedgerAccount, type VaultFile } from './vault-file.ts';

export type VaultState = 'absent' | 'locked' | 'unlocked' | 'damaged';

/** A key as anyone outside the vault may see it: no secret, ever. */
export type PublicKey = Omit<KeyRecord, 'sealed'> & { damaged: boolean };

export interface VaultOptions {
  now?: () => number;
  /** Tests use a cheaper scrypt; a real vault always uses the default (2^17). */
  scryptCost?: { N: number; r: number; p: number };
  /** Called after every state change (unlock, lock, a key added …). */
  onChange?: () => void;
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
  private file: VaultFile | null = null;
  private state: VaultState = 'absent';
  private dataKey: Buffer | null = null;
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

  constructor(path: string, options: VaultOptions = {}) {
    this.path = path;
    this.now = options.now ?? Date.now;
    this.scryptCost = options.scryptCost ?? DEFAULT_SCRYPT;
    this.onChange = options.onChange ?? (() => undefined);
  }

  async load(): Promise<VaultState> {
    const loaded = await loadJsonFile(this.path, vaultFileSchema, this.now());
    this.lockMemory();
    if (loaded.state === 'missing') {
      this.state = 'absent';
    } else if (loaded.state === 'damaged') {
      this.state = 'damaged';
      this.damage = { reason: loaded.reason, keptAs: loaded.keptAs };
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
      keys: (this.file?.keys ?? []).map((k) => this.publicKey(k)),
      ledgerAccounts: this.ledgerAccounts,
    };
  }

  get idleLockMinutes(): number {
    return this.file?.settings.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES;
  }

  get ledgerAccounts(): LedgerAccount[] {
    return this.file?.ledgerAccounts ?? [];
  }

  key(id: string): PublicKey {
    const k = this.record(id);
    return this.publicKey(k);
  }

  async create(passphrase: string): Promise<void> {
    if (this.state === 'damaged') throw new VaultError('refused', `${this.damageProblem()} Move it away or restore it before creating a new vault.`);
    if (this.state !== 'absent') throw new VaultError('refused', 'a vault already exists; delete its keys or restore from a backup instead of creating a second one');
    const strength = checkPassphrase(passphrase);
    if (!strength.acceptable) throw new VaultError('invalid-request', `passphrase ${strength.problem}`);
    const kdf = newScryptParams(this.scryptCost);
    const wrapping = await deriveWrappingKey(passphrase, kdf);
    const dataKey = newDataKey();
    const file: VaultFile = {
      format: 'deltadesk-vault',
      version: 1,
      kdf,
      wrappedKey: seal(wrapping, dataKey, WRAP_AAD),
      keys: [],
      ledgerAccounts: [],
      budget: null,
      usedAgentAddresses: [],
      settings: { idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES },
    };
    wrapping.fill(0);
    await this.persist(file);
    this.dataKey = dataKey;
    this.state = 'unlocked';
    this.unlockedAt = this.now();
    this.budgetValid = false;
    this.onChange();
  }

  async unlock(passphrase: string): Promise<void> {
    if (this.state === 'unlocked') return;
    const file = this.requireFile();
    const dataKey = await this.unwrap(file, passphrase);
    this.dataKey = dataKey;
    this.state = 'unlocked';
    this.lockReason = null;
    this.unlockedAt = this.now();
    this.damagedKeys = new Set(file.keys.filter((k) => !this.canOpen(k)).map((k) => k.id));
    this.budgetValid = file.budget ? macMatches(dataKey, 'budget', budgetContent(file.budget), file.budget.mac) : false;
    this.onChange();
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
    const file = this.requireFile();
    this.record(id);
    await this.persist({ ...file, keys: file.keys.filter((k) => k.id !== id) });
    this.damagedKeys.delete(id);
    this.onChange();
  }

  async relabel(id: string, label: string): Promise<void> {
    const file = this.requireFile();
    this.record(id);
    await this.persist({ ...file, keys: file.keys.map((k) => (k.id === id ? { ...k, label } : k)) });
    this.onChange();
  }

  async updateAgent(id: string, agent: NonNullable<KeyRecord['agent']>): Promise<void> {
    const file = this.requireFile();
    if (this.record(id).role !== 'agent') throw new VaultError('invalid-request', 'only agent keys carry an approval');
    await this.persist({ ...file, keys: file.keys.map((k) => (k.id === id ? { ...k, agent } : k)) });
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

  budget(): { record: BudgetRecord | null; valid: boolean } {
    return { record: this.file?.budget ?? null, valid: this.state === 'unlocked' && this.budgetValid };
  }

  async setBudget(limits: BudgetLimits, approval: Pick<BudgetRecord, 'approvedWith' | 'ledgerAddress' | 'signature'>): Promise<void> {
    const file = this.requireFile();
    const key = this.requireUnlocked();
    const unsigned = { limits, approvedAt: this.now(), ...approval };
    const record: BudgetRecord = { ...unsigned, mac: mac(key, 'budget', budgetContent(unsigned)) };
    await this.persist({ ...file, budget: record });
    this.budgetValid = true;
    this.onChange();
  }

  async setIdleLockMinutes(minutes: number): Promise<void> {
    const file = this.requireFile();
    this.requireUnlocked();
    await this.persist({ ...file, settings: { ...file.settings, idleLockMinutes: minutes } });
    this.onChange();
  }

  async rememberLedgerAccount(account: LedgerAccount): Promise<void> {
    const file = this.requireFile();
    this.requireUnlocked();
    const others = file.ledgerAccounts.filter((a) => a.address.toLowerCase() !== account.address.toLowerCase());
    await this.persist({ ...file, ledgerAccounts: [...others, account] });
    this.onChange();
  }

  // --- internals -------------------------------------------------------------------------------

  private async addKey(secret: Buffer, address: string, meta: NewKeyMeta, source: KeyRecord['source']): Promise<PublicKey> {
    try {
      const file = this.requireFile();
      const dataKey = this.requireUnlocked();
      const checksummed = getAddress(address);
      const existing = file.keys.find((k) => k.address.toLowerCase() === checksummed.toLowerCase());
      if (existing) throw new VaultError('invalid-request', `this key is already in the vault as "${existing.label}"`);
      const lower = checksummed.toLowerCase();
      if (meta.role === 'agent' && file.usedAgentAddresses.includes(lower)) throw new VaultError('refused', 'this address was already used as an agent; agent addresses are never reused');
      if (file.keys.length >= MAX_KEYS) throw new VaultError('refused', `the vault holds at most ${MAX_KEYS} keys; delete expired agents first`);
      if (file.usedAgentAddresses.length >= MAX_AGENT_HISTORY) throw new VaultError('refused', `${MAX_AGENT_HISTORY} agents were created with this vault; create a new vault for more`);
      const id = `k-${randomBytes(8).toString('hex')}`;
      const header = { id, address: checksummed, role: meta.role, venue: meta.venue };
      const rec: KeyRecord = { ...header, label: meta.label, source, createdAt: this.now(), agent: meta.agent ?? null, sealed: seal(dataKey, secret, keyAad(header)) };
      await this.persist({ ...file, keys: [...file.keys, rec], usedAgentAddresses: meta.role === 'agent' ? [...file.usedAgentAddresses, lower] : file.usedAgentAddresses });
      this.onChange();
      return this.publicKey(rec);
    } finally {
      secret.fill(0);
    }
  }

  private withSigningKey<T>(id: string, use: (key: SigningKey) => T): T {
    const rec = this.record(id);
    return this.withSecret(rec, (secret) => use(new SigningKey(secret)));
  }

  private withSecret<T>(rec: KeyRecord, use: (secret: Buffer) => T): T {
    const dataKey = this.requireUnlocked();
    const secret = open(dataKey, rec.sealed, keyAad(rec));
    if (!secret) throw new VaultError('refused', `key "${rec.label}" is damaged or was altered outside DeltaDesk; it will not sign`);
    try {
      return use(secret);
    } finally {
      secret.fill(0);
    }
  }

  private canOpen(rec: KeyRecord): boolean {
    try {
      return this.withSecret(rec, (secret) => safeAddress(secret)?.toLowerCase() === rec.address.toLowerCase());
    } catch {
      return false;
    }
  }

  private async unwrap(file: VaultFile, passphrase: string): Promise<Buffer> {
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

  private lockMemory(): void {
    this.dataKey?.fill(0);
    this.dataKey = null;
    this.unlockedAt = null;
    this.budgetValid = false;
    this.damagedKeys.clear();
  }

  /** Writes are serialised; memory switches to the new file only once it is on disk. */
  private persist(next: VaultFile): Promise<void> {
    if (this.state === 'damaged') return Promise.reject(new VaultError('refused', 'the vault file is damaged; nothing is written to it'));
    const write = this.writes.then(async () => {
      try {
        await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
      } catch (err) {
        throw new VaultError('unavailable', `could not save the vault (${(err as Error).message}); nothing was changed`);
      }
      this.file = next;
      if (this.state === 'absent') this.state = 'locked';
    });
    this.writes = write.catch(() => undefined);
    return write;
  }

  private requireFile(): VaultFile {
    if (this.state === 'damaged') throw new VaultError('refused', this.damageProblem() ?? 'the vault file is damaged');
    if (!this.file) throw new VaultError('unavailable', 'no vault yet: create one first');
    return this.file;
  }

  private requireUnlocked(): Buffer {
    if (this.state !== 'unlocked' || !this.dataKey) throw new VaultError('locked', 'the vault is locked: unlock it with your passphrase');
    return this.dataKey;
  }

  private record(id: string): KeyRecord {
    const rec = this.file?.keys.find((k) => k.id === id);
    if (!rec) throw new VaultError('invalid-request', `no key with id ${JSON.stringify(id.slice(0, 40))}`);
    return rec;
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

function budgetContent(b: Omit<BudgetRecord, 'mac'>): string {
  return JSON.stringify([b.limits, b.approvedAt, b.approvedWith, b.ledgerAddress, b.signature]);
}
