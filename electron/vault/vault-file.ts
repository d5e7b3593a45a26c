import { z } from 'zod';
import { evmAddressSchema } from '../../shared/contract/schemas.ts';
import { agentInfoSchema, budgetLimitsInputSchema, keyRoleSchema, keySourceSchema, keyVenueSchema } from '../../shared/contract/vault-schemas.ts';

/*
 * vault.json, format 1 (docs/vault.md): one scrypt-wrapped random data key; each private key
 * sealed under the data key with AES-256-GCM. Everything else in the file (addresses, labels,
 * agent approvals, the budget) is public information, readable while locked, and the parts that
 * matter for safety are bound to the data key (AAD or MAC) so an edit is detected.
 */

const hex = (bytes: number): z.ZodString => z.string().regex(/^[0-9a-f]*$/, 'lowercase hex').length(bytes * 2);
export const sealedSchema = z.object({ iv: hex(12), tag: hex(16), data: z.string().regex(/^[0-9a-f]+$/).max(512) }).strict();

export const scryptSchema = z
  .object({
    name: z.literal('scrypt'),
    N: z.number().int().refine((n) => n >= 2 ** 10 && n <= 2 ** 22 && (n & (n - 1)) === 0, 'a power of two between 2^10 and 2^22'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: hex(32),
  })
  .strict();

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

export type BudgetLimits = z.infer<typeof budgetLimitsInputSchema>;

export const budgetRecordSchema = z
  .object({
    limits: budgetLimitsInputSchema,
    approvedAt: z.number().int(),
    approvedWith: z.enum(['ledger', 'passphrase']),
    /** Ledger approvals: the device's address and its EIP-712 signature over the limits. */
    ledgerAddress: evmAddressSchema.nullable(),
    signature: z.string().regex(/^0x[0-9a-f]{130}$/).nullable(),
    /** HMAC under the data key: a budget edited outside the app stops every hot-key signature. */
    mac: hex(32),
  })
  .strict();
export type BudgetRecord = z.infer<typeof budgetRecordSchema>;

export const ledgerAccountSchema = z.object({ address: evmAddressSchema, path: z.string().regex(/^m\/44'\/60'\/\d+'\/\d+(\/\d+)?$/), label: z.string().max(40) }).strict();
export type LedgerAccount = z.infer<typeof ledgerAccountSchema>;

export const vaultFileSchema = z
  .object({
    format: z.literal('deltadesk-vault'),
    version: z.literal(1),
    kdf: scryptSchema,
    wrappedKey: sealedSchema,
    keys: z.array(keyRecordSchema).max(200),
    ledgerAccounts: z.array(ledgerAccountSchema).max(20),
    budget: budgetRecordSchema.nullable(),
    /** Every agent address ever generated here (lowercase); a new agent never takes one of them. */
    usedAgentAddresses: z.array(evmAddressSchema).max(10_000),
    settings: z.object({ idleLockMinutes: z.number().int().min(1).max(720) }).strict(),
  })
  .strict();
export type VaultFile = z.infer<typeof vaultFileSchema>;

export const WRAP_AAD = 'deltadesk-vault-v1';
export const keyAad = (k: Pick<KeyRecord, 'id' | 'address' | 'role' | 'venue'>): string => `deltadesk-key|${k.id}|${k.address.toLowerCase()}|${k.role}|${k.venue}`;
