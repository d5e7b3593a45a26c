import { z } from 'zod';
import { DIVEST_PHASES, DIVEST_VENUES } from '../domain/divest.ts';

/** The kill switch over the border: a plan by id, executed by id and a typed word; its run in progress. */
const n = z.number();
const s = z.string().max(2_000);
export const divestVenueSchema = z.enum(DIVEST_VENUES);
export const divestScopeSchema = z.union([z.literal('all'), divestVenueSchema]);
export const divestIdSchema = z.string().regex(/^divest-[0-9a-f-]{36}$/);

const legSchema = z.object({
  id: s,
  phase: z.enum(DIVEST_PHASES),
  venue: divestVenueSchema,
  account: s,
  instrument: s,
  underlying: s,
  side: z.enum(['buy', 'sell', 'repay', 'withdraw']),
  size: n,
  unit: z.enum(['coin', 'USD', 'token']),
  positionBefore: n,
  mark: n.nullable(),
  absorbableNow: n,
  estAvgPrice: n.nullable(),
  estCostUsd: n,
  notionalUsd: n,
  slices: n,
  note: s.nullable(),
});

export const divestPlanSchema = z.object({
  id: divestIdSchema,
  scope: divestScopeSchema,
  withdraw: z.boolean(),
  createdAt: n,
  expiresAt: n,
  steps: z.array(z.object({ phase: z.enum(DIVEST_PHASES), title: s, legs: z.array(legSchema).max(500), orders: z.array(z.object({ venue: divestVenueSchema, count: n })).optional() })).max(10),
  left: z.array(z.object({ venue: s, account: s, instrument: s, reason: s })).max(500),
  totalCostUsd: n,
  perpSlippageBps: n,
  optionSlippagePct: n,
  waitsFor: s.nullable(),
  deltaAfter: z.array(z.object({ underlying: s, coins: n })).max(50),
  confirmWord: s,
});

export const divestRunSchema = z.object({
  id: s,
  planId: s,
  scope: divestScopeSchema,
  startedBy: z.enum(['trader', 'auto']),
  trigger: s.nullable(),
  state: z.enum(['running', 'done', 'stopped']),
  startedAt: n,
  finishedAt: n.nullable(),
  cancelled: z.array(z.object({ venue: divestVenueSchema, count: n, failed: s.nullable() })),
  legs: z.array(z.object({ legId: s, state: z.enum(['waiting', 'working', 'flat', 'residual', 'stopped']), done: n, remaining: n, orders: n, rejects: n, detail: s })).max(500),
  plan: divestPlanSchema,
  report: z.object({ flat: z.array(s), notFlat: z.array(s) }).nullable(),
});

export const stopStatusSchema = z.object({
  rule: z.object({ coin: z.string().regex(/^[A-Z0-9]{1,12}$/), triggerPx: n }),
  state: z.enum(['resting', 'placing', 'no position', 'waiting', 'invalid', 'refused']),
  detail: s.nullable(),
  position: n,
  replaced: n,
  placedAt: n.nullable(),
});

export const divestSnapshotSchema = z.object({ run: divestRunSchema.nullable(), armed: z.array(divestVenueSchema), deadMan: z.object({ armedUntil: n.nullable(), error: s.nullable() }), stops: z.array(stopStatusSchema).max(100) });
