import { z } from 'zod';

/*
 * What the renderer may learn about the vault: states, public addresses, labels, limits. No
 * schema here has a field that could carry a private key or a phrase out of main.
 */
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
export const passphraseSchema = z.string().min(1, 'enter the passphrase').max(1024);

export const vaultKeySchema = z.object({
  id: z.string(),
  address,
  label: z.string(),
  role: z.enum(['master', 'agent']),
  venue: z.enum(['any', 'hyperliquid']),
  source: z.enum(['generated', 'private-key', 'mnemonic']),
  createdAt: z.number(),
  damaged: z.boolean(),
  agent: z
    .object({
      master: address,
      name: z.string(),
      validUntil: z.number().nullable(),
      approvedAt: z.number().nullable(),
      approvedWith: z.enum(['ledger', 'local']).nullable(),
      network: z.enum(['mainnet', 'testnet', 'paper']),
    })
    .nullable(),
});
export type VaultKey = z.infer<typeof vaultKeySchema>;

export const budgetLimitsInputSchema = z
  .object({
    maxOrderNotionalUsd: z.number().positive().max(1e9),
    maxPositionUsd: z.record(z.string().regex(/^(\*|[A-Z0-9]{1,12})$/, 'an underlying such as BTC, or *'), z.number().positive().max(1e10)).refine((m) => '*' in m, 'needs a "*" default'),
    maxDailyHedgeNotionalUsd: z.number().positive().max(1e10),
    maxDailyCollateralUsd: z.number().nonnegative().max(1e10),
  })
  .strict();
export type BudgetLimitsInput = z.infer<typeof budgetLimitsInputSchema>;

export const ledgerStatusSchema = z.object({
  state: z.enum(['disconnected', 'locked', 'app-not-open', 'blind-signing-off', 'ready', 'waiting-for-user', 'rejected', 'timed-out', 'error']),
  message: z.string(),
  appVersion: z.string().nullable(),
  blindSigning: z.boolean().nullable(),
  busy: z.boolean(),
});
export type LedgerStatusView = z.infer<typeof ledgerStatusSchema>;

export const vaultStatusSchema = z.object({
  state: z.enum(['absent', 'locked', 'unlocked', 'damaged']),
  problem: z.string().nullable(),
  keptAs: z.string().nullable(),
  lockReason: z.string().nullable(),
  unlockedAt: z.number().nullable(),
  retryInMs: z.number(),
  idleLockMinutes: z.number(),
  /** Where remembering the vault on this device is possible (Electron with a real key store). */
  canRemember: z.boolean(),
  network: z.enum(['paper', 'testnet', 'mainnet']),
  keys: z.array(vaultKeySchema),
  ledgerAccounts: z.array(z.object({ address, path: z.string(), label: z.string() })),
  ledger: ledgerStatusSchema,
  budget: z
    .object({
      limits: budgetLimitsInputSchema,
      approvedAt: z.number(),
      approvedWith: z.enum(['ledger', 'passphrase']),
      ledgerAddress: address.nullable(),
      valid: z.boolean(),
    })
    .nullable(),
  usage: z.object({ day: z.string(), hedgeNotionalUsd: z.number(), collateralUsd: z.number() }),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

export const signerRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), keyId: z.string().max(40) }).strict(),
  z.object({ kind: z.literal('ledger'), address }).strict(),
]);

export const journalLineSchema = z.object({
  at: z.number(),
  outcome: z.enum(['signed', 'refused']),
  signer: z.string(),
  scheme: z.string(),
  summary: z.string(),
  refusal: z.string().nullable(),
});
