import { z } from 'zod';
import { evmAddressSchema } from '../../shared/contract/schemas.ts';
import { agentInfoSchema, apiClientIdSchema, apiKeyVenueSchema, budgetLimitsInputSchema, keyRoleSchema, keySourceSchema, keyVenueSchema } from '../../shared/contract/vault-schemas.ts';

/*
 * vault.json, format 2 (docs/vault.md): one scrypt-wrapped random data key, from which two
 * subkeys are derived (HKDF): one seals each private key with AES-256-GCM, the other MACs the
 * whole file. Everything else (addresses, labels, agent approvals, the budget) is readable while
 * locked, for the screen, but nothing in it is trusted until the file's MAC has been checked at
 * unlock: an edit anywhere — a label, an agent's expiry or master, a budget swapped for an older
 * one — is detected, not obeyed. Format 1 (no file MAC) is upgraded at its first unlock.
 */

const hex = (bytes: number): z.ZodString => z.string().regex(/^[0-9a-f]*$/, 'lowercase hex').length(bytes * 2);
export const sealedSchema = z.object({ iv: hex(12), tag: hex(16), data: z.string().regex(/^[0-9a-f]+$/).max(512) }).strict();

/** scrypt's memory is 128·N·r bytes; a file may not ask for more than this (a crafted file could ask for 16 GiB). */
export const SCRYPT_MAX_MEMORY_BYTES = 1024 * 2 ** 20;

export const scryptSchema = z
  .object({
    name: z.literal('scrypt'),
    N: z.number().int().refine((n) => n >= 2 ** 10 && n <= 2 ** 22 && (n & (n - 1)) === 0, 'a power of two between 2^10 and 2^22'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(4),
    salt: hex(32),
  })
  .strict()
  .refine((k) => 128 * k.N * k.r <= SCRYPT_MAX_MEMORY_BYTES, 'scrypt parameters ask for more than 1 GiB of memory');

export type KeyRole = z.infer<typeof keyRoleSchema>;

export const keyRecordSchema = z
  .object({
    id: z.string().regex(/^k-[0-9a-f]{16}$/),
    address: evmAddressSchema,
    label: z.string().min(1).max(40),
    role: keyRoleSchema,
    venue: keyVenueSchema,
    source: keySourceSchema,
    createdAt: z.number().int(),
    agent: agentInfoSchema.strict().nullable(),
    sealed: sealedSchema,
  })
  .strict();
export type KeyRecord = z.infer<typeof keyRecordSchema>;

/**
 * A venue API key (Deribit): the client id is public and shown; the client secret is sealed like
 * a private key and is opened only inside main, for the length of one HMAC. It belongs to one
 * network, so a testnet key is never offered to mainnet.
 */
export const apiKeyRecordSchema = z
  .object({
    id: z.string().regex(/^a-[0-9a-f]{16}$/),
    venue: apiKeyVenueSchema,
    network: z.enum(['paper', 'testnet', 'mainnet']),
    clientId: apiClientIdSchema,
    label: z.string().min(1).max(40),
    createdAt: z.number().int(),
    sealed: sealedSchema,
  })
  .strict();
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

export type BudgetLimits = z.infer<typeof budgetLimitsInputSchema>;

export const budgetRecordSchema = z
  .object({
    limits: budgetLimitsInputSchema,
    approvedAt: z.number().int(),
    approvedWith: z.enum(['ledger', 'passphrase']),
    /** Ledger approvals: the device's address and its EIP-712 signature over the limits. */
    ledgerAddress: evmAddressSchema.nullable(),
    signature: z.string().regex(/^0x[0-9a-f]{130}$/).nullable(),
    /**
     * Counts approvals, never down. Every approval is also journaled with its generation, so a
     * whole older vault file put back (with its older, looser budget) is caught at unlock.
     */
    generation: z.number().int().min(1),
  })
  .strict();
export type BudgetRecord = z.infer<typeof budgetRecordSchema>;

export const ledgerAccountSchema = z.object({ address: evmAddressSchema, path: z.string().regex(/^m\/44'\/60'\/\d+'\/\d+(\/\d+)?$/), label: z.string().max(40) }).strict();
export type LedgerAccount = z.infer<typeof ledgerAccountSchema>;

const vaultFileShape = {
  format: z.literal('deltadesk-vault'),
  kdf: scryptSchema,
  wrappedKey: sealedSchema,
  keys: z.array(keyRecordSchema).max(200),
  ledgerAccounts: z.array(ledgerAccountSchema).max(20),
  /** Every agent address ever generated here (lowercase); a new agent never takes one of them. */
  usedAgentAddresses: z.array(evmAddressSchema).max(10_000),
  settings: z.object({ idleLockMinutes: z.number().int().min(1).max(720) }).strict(),
};

function unique<T>(items: T[], by: (t: T) => string): boolean {
  return new Set(items.map(by)).size === items.length;
}

const noDuplicates = <T extends { keys: KeyRecord[] }>(schema: z.ZodType<T>): z.ZodType<T> =>
  schema
    .refine((f) => unique(f.keys, (k) => k.id), { message: 'two keys share one id', path: ['keys'] })
    .refine((f) => unique(f.keys, (k) => k.address.toLowerCase()), { message: 'two keys share one address', path: ['keys'] });

export const MAX_API_KEYS = 20;

export const vaultFileSchema = noDuplicates(
  z
    .object({
      ...vaultFileShape,
      version: z.literal(2),
      budget: budgetRecordSchema.nullable(),
      /** Absent in files written before API keys existed (the MAC skips an absent field, so they still verify). */
      apiKeys: z.array(apiKeyRecordSchema).max(MAX_API_KEYS).optional(),
      /** HMAC-SHA256 under the MAC subkey over everything above, canonically encoded. */
      mac: hex(32),
    })
    .strict(),
);
export type VaultFile = z.infer<typeof vaultFileSchema>;
export type UnsignedVaultFile = Omit<VaultFile, 'mac'>;

/** Format 1, read only to upgrade it: no file MAC, keys sealed under the data key itself. */
export const vaultFileV1Schema = noDuplicates(
  z
    .object({
      ...vaultFileShape,
      version: z.literal(1),
      budget: z.unknown(),
    })
    .strict(),
);
export type VaultFileV1 = z.infer<typeof vaultFileV1Schema>;

export const anyVaultFileSchema = z.union([vaultFileSchema, vaultFileV1Schema]);

/**
 * JSON with object keys sorted at every level, so the MAC does not depend on the order in which
 * a parser or a schema happened to put them.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const WRAP_AAD = 'deltadesk-vault-v1';
export const FILE_MAC_LABEL = 'deltadesk-vault-v2 file';
export const apiKeyAad = (k: Pick<ApiKeyRecord, 'id' | 'venue' | 'network' | 'clientId'>): string => `deltadesk-apikey|${k.id}|${k.venue}|${k.network}|${k.clientId}`;
export const keyAad = (k: Pick<KeyRecord, 'id' | 'address' | 'role' | 'venue'>): string => `deltadesk-key|${k.id}|${k.address.toLowerCase()}|${k.role}|${k.venue}`;
