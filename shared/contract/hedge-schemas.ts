import { z } from 'zod';
import { AUTO_HEDGE_MODES, HEDGE_VENUES } from '../domain/hedge.ts';
import { orderRowSchema } from './order-schemas.ts';

/** Hedge-to-target over the border: previews by id, confirms by id, targets per underlying. */
const n = z.number();
const nullableNumber = n.nullable();
export const hedgeVenueSchema = z.enum(HEDGE_VENUES);

export const hedgePlanSchema = z.object({
  ok: z.literal(true),
  underlying: z.string(),
  venue: hedgeVenueSchema,
  instrument: z.string(),
  side: z.enum(['buy', 'sell']),
  size: n,
  clipped: z.boolean(),
  limitPrice: n,
  avgPrice: n,
  mark: n,
  slippageBps: n,
  feeUsd: n,
  notionalUsd: n,
  deltaBefore: n,
  deltaAfter: n,
  target: n,
  marginAfterUsd: nullableNumber,
  liqBefore: nullableNumber,
  liqAfter: nullableNumber,
});

export const hedgeRefusalSchema = z.object({
  ok: z.literal(false),
  code: z.enum(['stale', 'unreconciled', 'no-price', 'thin', 'not-closer', 'within-lot', 'no-account', 'vault', 'budget', 'moved', 'expired']),
  reason: z.string(),
});

export const hedgePreviewSchema = z.object({
  id: z.string(),
  createdAt: n,
  expiresAt: n,
  result: z.discriminatedUnion('ok', [hedgePlanSchema, hedgeRefusalSchema]),
  budgetLeftUsd: nullableNumber,
});

export const hedgeIdSchema = z.string().regex(/^hedge-[0-9a-f-]{36}$/, 'expected a hedge preview id');

export const hedgeTargetSchema = z
  .object({
    underlying: z.string().regex(/^[A-Z0-9]{1,12}$/, 'expected a coin such as BTC'),
    delta: z.number().finite().min(-1e6).max(1e6),
    venue: hedgeVenueSchema,
  })
  .strict();

export const hedgeConfirmResultSchema = z.object({ plan: hedgePlanSchema, order: orderRowSchema });

const bandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), halfWidthCoins: z.number().finite().positive().max(1e6) }).strict(),
  z.object({ kind: z.literal('whalley-wilmott'), riskAversionPerUsd: z.number().finite().positive().max(1) }).strict(),
]);

export const autoHedgeConfigSchema = z
  .object({
    underlying: z.string().regex(/^[A-Z0-9]{1,12}$/, 'expected a coin such as BTC'),
    mode: z.enum(AUTO_HEDGE_MODES),
    band: bandSchema,
    minIntervalMs: z.number().int().min(1_000).max(86_400_000),
    driftBypassCoins: z.number().finite().nonnegative().max(1e6),
    maxClipUsd: z.number().finite().positive().max(1e9),
    dailyCapUsd: z.number().finite().positive().max(1e10),
    maxSlippageBps: z.number().finite().positive().max(500),
  })
  .strict();

export const autoHedgeStatusSchema = z.object({
  config: autoHedgeConfigSchema,
  state: z.enum(['off', 'watching', 'paused', 'settling', 'hedging']),
  reason: z.string().nullable(),
  latched: z.boolean(),
  checkedAt: n,
  delta: n.nullable(),
  target: n,
  bandHalfWidth: n.nullable(),
  last: z.object({ at: n, what: z.enum(['hedge', 'shadow', 'skip', 'refused', 'rejected']), detail: z.string() }).nullable(),
  nextCheckAt: n.nullable(),
  hedges24h: n,
  notional24hUsd: n,
  cost24hUsd: n,
  hedgesPnlUsd: n,
});
