import { z } from 'zod';
import { VENUE_IDS } from '../domain/venues.ts';

/*
 * A mispricing traded as one combination (issue "Derive", item 4): previewed by id, sent by id
 * with arm-and-confirm, each leg an IOC through the executor; a leg that fills without its partner
 * leaves a residual the trader is told of at once and offered to unwind.
 */
const n = z.number();
export const arbIdSchema = z.string().regex(/^arb-[0-9a-z-]{1,40}$/);

export const arbLegPlanSchema = z.object({
  venue: z.enum(VENUE_IDS),
  /** The venue's instrument name. */
  instrument: z.string(),
  /** The chain contract it is (Deribit's name). */
  contract: z.string(),
  side: z.enum(['buy', 'sell']),
  /** Contracts (coins). */
  size: n,
  /** The limit in the venue's unit: Deribit coin per contract, Derive USDC per contract. */
  limit: n,
  /** The same limit and the touch it was priced from, USD per contract. */
  limitUsd: n,
  quotedUsd: n,
  /** Taker fee for the leg, USD (all of its size). */
  feeUsd: n,
  /** The leg's delta, coins (our Black-76 delta × signed size). */
  deltaCoin: n,
  /** Its size at the index, USD: what main's budget counts against the order limit. */
  notionalUsd: n,
});
export type ArbLegPlan = z.infer<typeof arbLegPlanSchema>;

export const arbPlanSchema = z.object({
  ok: z.literal(true),
  kind: z.string(),
  underlying: z.string(),
  /** Units of the combination. */
  size: n,
  /** What set the size: all the quotes carry, the size asked, or the budget's order limit. */
  sizedBy: z.enum(['quotes', 'request', 'budget']),
  /** In the order they are sent: the leg more likely to be refused first. */
  legs: z.array(arbLegPlanSchema),
  /** Net of every leg's fee, for the whole size, USD. */
  edgeUsd: n,
  feesUsd: n,
  /** The trade's own delta, coins (a same-contract pair is about flat). */
  deltaCoin: n,
  /** Premium paid (−) or received (+) per venue, USD, fees included: the cash each venue's margin must carry. */
  cashUsd: z.record(z.string(), n),
  /**
   * Initial margin the trade's legs ask of each venue on their own, USD: Deribit's standard margin
   * for its shorts, Derive's standard margin for its legs together. The rest of the book can only
   * offset it.
   */
  marginUsd: z.record(z.string(), n),
  /** Each leg may fill up to this much worse than its touch, USD per contract (a third of the edge per contract). */
  toleranceUsd: n,
});
export type ArbPlan = z.infer<typeof arbPlanSchema>;

export const arbRefusalSchema = z.object({ ok: z.literal(false), reason: z.string() });

export const arbPreviewSchema = z.object({ id: arbIdSchema, createdAt: n, expiresAt: n, key: z.string(), result: z.discriminatedUnion('ok', [arbPlanSchema, arbRefusalSchema]) });
export type ArbPreview = z.infer<typeof arbPreviewSchema>;

export const ARB_STATES = ['sending', 'done', 'failed', 'legged', 'unwinding', 'unwound'] as const;
export type ArbState = (typeof ARB_STATES)[number];

export const arbLegRunSchema = z.object({
  plan: arbLegPlanSchema,
  intentId: z.string(),
  state: z.string(),
  filled: n,
  avgPrice: n,
  reason: z.string().nullable(),
});

export const arbResidualSchema = z.object({ venue: z.enum(VENUE_IDS), instrument: z.string(), side: z.enum(['buy', 'sell']), size: n });
export type ArbResidual = z.infer<typeof arbResidualSchema>;

export const arbRunSchema = z.object({
  id: arbIdSchema,
  state: z.enum(ARB_STATES),
  legs: z.array(arbLegRunSchema),
  /**
   * What is open without its partners: per leg that filled beyond the combination the fills
   * completed, its venue, instrument and the side that would close it. Empty when nothing is.
   */
  residuals: z.array(arbResidualSchema),
  message: z.string(),
  updatedAt: n,
});
export type ArbRun = z.infer<typeof arbRunSchema>;
export type ArbLegRun = z.infer<typeof arbLegRunSchema>;
