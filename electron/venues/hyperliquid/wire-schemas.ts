import { z } from 'zod';

/** Hyperliquid sends prices and sizes as decimal strings; never trust them to be numeric. */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
const positiveDecimal = decimal.refine((s) => Number(s) > 0, 'expected a positive decimal');
const millis = z.number().int().nonnegative();

export const wireLevel = z.object({ px: positiveDecimal, sz: positiveDecimal, n: z.number().int().nonnegative() });

export const wireL2Book = z.object({
  coin: z.string().min(1),
  time: millis,
  levels: z.tuple([z.array(wireLevel).max(200), z.array(wireLevel).max(200)]),
});
export type WireL2Book = z.infer<typeof wireL2Book>;

export const wireTrade = z.object({
  coin: z.string().min(1),
  side: z.enum(['B', 'A']),
  px: positiveDecimal,
  sz: positiveDecimal,
  time: millis,
  tid: z.number().int().nonnegative(),
  hash: z.string().optional(),
});
export type WireTrade = z.infer<typeof wireTrade>;

export const wireAllMids = z.object({ mids: z.record(z.string(), decimal) });

export const wireMeta = z.object({
  universe: z.array(
    z.object({
      name: z.string().min(1),
      szDecimals: z.number().int().min(0).max(10),
      maxLeverage: z.number().positive(),
      onlyIsolated: z.boolean().optional(),
      isDelisted: z.boolean().optional(),
    }),
  ),
});
export type WireMeta = z.infer<typeof wireMeta>;

export const wireCandle = z.object({
  t: millis,
  T: millis,
  s: z.string(),
  i: z.string(),
  o: positiveDecimal,
  c: positiveDecimal,
  h: positiveDecimal,
  l: positiveDecimal,
  v: decimal,
  n: z.number().int().nonnegative(),
});

/** Server → client frames we act on; anything else is ignored by channel name. */
export const wireFrame = z.object({ channel: z.string(), data: z.unknown().optional() });

export const wireSubscriptionAck = z.object({
  method: z.enum(['subscribe', 'unsubscribe']),
  subscription: z.record(z.string(), z.unknown()),
});

const unsignedDecimal = z.string().regex(/^\d+(\.\d+)?$/);
/** The trading account's own fills (WebSocket userFills; the first message is a snapshot). */
export const ownFillsFrame = z.object({
  user: z.string(),
  isSnapshot: z.boolean().optional(),
  fills: z.array(z.object({ coin: z.string(), px: unsignedDecimal, sz: unsignedDecimal, side: z.enum(['A', 'B']), time: z.number(), tid: z.number(), cloid: z.string().optional() }).loose()).max(10_000),
});
/** The trading account's order changes (WebSocket orderUpdates). */
export const ownOrdersFrame = z.array(z.object({ order: z.object({ oid: z.number(), cloid: z.string().nullable().optional() }).loose(), status: z.string(), statusTimestamp: z.number() }).loose()).max(10_000);

/** One perp's live context (`metaAndAssetCtxs`), aligned with `meta.universe` by position. */
const nullableDecimal = decimal.nullable();
export const wireAssetCtx = z.object({
  funding: decimal,
  openInterest: decimal,
  prevDayPx: decimal,
  dayNtlVlm: decimal,
  oraclePx: decimal,
  markPx: decimal,
  midPx: nullableDecimal.optional(),
  premium: nullableDecimal.optional(),
});
export const wireMetaAndAssetCtxs = z.tuple([wireMeta, z.array(wireAssetCtx)]);
