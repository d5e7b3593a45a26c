import { z } from 'zod';
import { evmAddressSchema as address } from './schemas.ts';

/*
 * What the renderer may learn about the vault: states, public addresses, labels, limits. No
 * schema here has a field that could carry a private key or a phrase out of main.
 */
export const passphraseSchema = z.string().min(1, 'enter the passphrase').max(1024);

export const keyRoleSchema = z.enum(['master', 'agent']);
/** Which venue an agent key trades on: a Hyperliquid agent, or a Derive session key. */
export const keyVenueSchema = z.enum(['any', 'hyperliquid', 'derive']);
/** Venues whose API keys (a client id and a secret) the vault keeps. */
export const apiKeyVenueSchema = z.enum(['deribit']);
/** Deribit client ids are short printable tokens; nothing that could break a header or a log line. */
export const apiClientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, 'a client id is 4–64 letters, digits, - or _');
export const apiKeySchema = z.object({ id: z.string(), venue: apiKeyVenueSchema, network: z.enum(['paper', 'testnet', 'mainnet']), clientId: z.string(), label: z.string(), createdAt: z.number(), damaged: z.boolean() });
export type ApiKeyView = z.infer<typeof apiKeySchema>;
export const keySourceSchema = z.enum(['generated', 'private-key', 'mnemonic']);

/**
 * An agent's approval, as the vault file stores it and the screen shows it: a Hyperliquid agent
 * (approved by its master), or a Derive session key (registered by its owner, `master`, for one
 * subaccount and the scopes it may use).
 */
export const agentInfoSchema = z.object({
  /** The master account the agent trades for (lowercase). */
  master: address,
  /** Name on the venue, at most 16 characters; the expiry is appended as ` valid_until <ms>`. */
  name: z.string().min(1).max(16),
  validUntil: z.number().int().nullable(),
  /** Set when the venue accepted the approval. */
  approvedAt: z.number().int().nullable(),
  approvedWith: z.enum(['ledger', 'local']).nullable(),
  network: z.enum(['mainnet', 'testnet', 'paper']),
  /** Derive: the protocol scopes the owner granted (e.g. `trade:orderbook:option`) and the subaccount. */
  scopes: z.array(z.string().max(40)).max(8).optional(),
  subaccountId: z.number().int().nonnegative().optional(),
});

export const vaultKeySchema = z.object({
  id: z.string(),
  address,
  label: z.string(),
  role: keyRoleSchema,
  venue: keyVenueSchema,
  source: keySourceSchema,
  createdAt: z.number(),
  damaged: z.boolean(),
  agent: agentInfoSchema.nullable(),
});
export type VaultKey = z.infer<typeof vaultKeySchema>;

export const budgetLimitsInputSchema = z
  .object({
    maxOrderNotionalUsd: z.number().positive().max(1e9),
    maxPositionUsd: z.record(z.string().regex(/^(\*|[A-Z0-9]{1,12})$/, 'an underlying such as BTC, or *'), z.number().positive().max(1e10)).refine((m) => Object.hasOwn(m, '*'), 'needs a "*" default'),
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
  /** Venue API keys: their client ids and networks; the secrets never leave main. */
  apiKeys: z.array(apiKeySchema),
  ledgerAccounts: z.array(z.object({ address, path: z.string(), label: z.string() })),
  ledger: ledgerStatusSchema,
  budget: z
    .object({
      limits: budgetLimitsInputSchema,
      approvedAt: z.number(),
      approvedWith: z.enum(['ledger', 'passphrase']),
      ledgerAddress: address.nullable(),
      valid: z.boolean(),
      /** Why the budget cannot be used (restored from an older file …), when it cannot. */
      problem: z.string().nullable(),
      generation: z.number().int(),
    })
    .nullable(),
  /** Signed in the rolling window before now (the daily limits are a rolling 24 h, not a UTC day). */
  usage: z.object({ windowHours: z.literal(24), hedgeNotionalUsd: z.number(), collateralUsd: z.number() }),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

/**
 * The owner confirms an irreversible or money-moving command: the vault passphrase typed again,
 * or a signature on the Ledger.
 */
export const ownerConfirmSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('passphrase'), passphrase: passphraseSchema }).strict(),
  z.object({ kind: z.literal('ledger'), address }).strict(),
]);
export type OwnerConfirm = z.infer<typeof ownerConfirmSchema>;

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
