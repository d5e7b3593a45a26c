import { z } from 'zod';

/*
 * What a Hyperliquid L1 action does, read from the action's own fields — the bytes that will be
 * signed — never from what the caller says it is. Anything this file cannot read is refused.
 * Wire fields (venues.md §1.5): a = asset index, b = is buy, p = limit price, s = size,
 * r = reduce only, t = { limit: { tif } } | { trigger: { isMarket, triggerPx, tpsl } }.
 */

const decimal = z.string().regex(/^\d{1,20}(\.\d{1,20})?$/, 'a decimal string');
const positiveDecimal = decimal.refine((v) => Number(v) > 0, 'greater than zero');

const orderWire = z
  .object({
    a: z.number().int().min(0).max(1_000_000),
    b: z.boolean(),
    p: decimal,
    s: positiveDecimal,
    r: z.boolean(),
    t: z.union([
      z.object({ limit: z.object({ tif: z.enum(['Alo', 'Ioc', 'Gtc', 'FrontendMarket']) }).strict() }).strict(),
      z.object({ trigger: z.object({ isMarket: z.boolean(), triggerPx: decimal, tpsl: z.enum(['tp', 'sl']) }).strict() }).strict(),
    ]),
    c: z.string().regex(/^0x[0-9a-f]{32}$/).optional(),
  })
  .strict();
export type OrderWire = z.infer<typeof orderWire>;

const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('order'), orders: z.array(orderWire).min(1).max(100), grouping: z.enum(['na', 'normalTpsl', 'positionTpsl']), builder: z.unknown().optional() }).strict(),
  z.object({ type: z.literal('modify'), oid: z.union([z.number().int(), z.string().max(66)]), order: orderWire }).strict(),
  z.object({ type: z.literal('batchModify'), modifies: z.array(z.object({ oid: z.union([z.number().int(), z.string().max(66)]), order: orderWire }).strict()).min(1).max(100) }).strict(),
  z.object({ type: z.literal('cancel'), cancels: z.array(z.object({ a: z.number().int().min(0), o: z.number().int().min(0) }).strict()).min(1).max(1000) }).strict(),
  z.object({ type: z.literal('cancelByCloid'), cancels: z.array(z.object({ asset: z.number().int().min(0), cloid: z.string().max(66) }).strict()).min(1).max(1000) }).strict(),
  z.object({ type: z.literal('scheduleCancel'), time: z.number().int().optional() }).strict(),
  z.object({ type: z.literal('updateIsolatedMargin'), asset: z.number().int().min(0), isBuy: z.boolean(), ntli: z.number().int() }).strict(),
  z.object({ type: z.literal('updateLeverage'), asset: z.number().int().min(0), isCross: z.boolean(), leverage: z.number().int().min(1).max(200) }).strict(),
]);

export interface OrderLeg {
  asset: number;
  isBuy: boolean;
  /** Limit price (USD per coin). */
  price: number;
  /** A trigger order's trigger price, else null. */
  triggerPrice: number | null;
  /** Coins. */
  size: number;
  reduceOnly: boolean;
}

/** What the guard must check: orders (size, side, price), collateral moved, or nothing that adds risk. */
export type ReadAction =
  | { kind: 'orders'; legs: OrderLeg[] }
  | { kind: 'collateral'; asset: number; amountUsd: number; /** An Aave repay: it lowers debt, it adds nothing at risk. */ repay?: boolean }
  /** Cancels, scheduled cancels and leverage changes move no money; they are signed and journaled. */
  | { kind: 'no-exposure'; what: string };

export type ReadResult = { ok: true; action: ReadAction } | { ok: false; reason: string };

function leg(o: OrderWire): OrderLeg {
  return {
    asset: o.a,
    isBuy: o.b,
    price: Number(o.p),
    triggerPrice: 'trigger' in o.t ? Number(o.t.trigger.triggerPx) : null,
    size: Number(o.s),
    reduceOnly: o.r,
  };
}

export function readHyperliquidAction(action: unknown): ReadResult {
  const parsed = actionSchema.safeParse(action);
  if (!parsed.success) {
    const type = typeof action === 'object' && action !== null && typeof (action as { type?: unknown }).type === 'string' ? String((action as { type: string }).type).slice(0, 40) : null;
    const issue = parsed.error.issues[0];
    return { ok: false, reason: type ? `cannot read the "${type}" action (${issue ? `${issue.path.join('.') || 'action'}: ${issue.message}` : 'unexpected shape'}); nothing signed` : 'the action has no type DeltaDesk can read; nothing signed' };
  }
  const a = parsed.data;
  switch (a.type) {
    case 'order':
      return { ok: true, action: { kind: 'orders', legs: a.orders.map(leg) } };
    case 'modify':
      return { ok: true, action: { kind: 'orders', legs: [leg(a.order)] } };
    case 'batchModify':
      return { ok: true, action: { kind: 'orders', legs: a.modifies.map((m) => leg(m.order)) } };
    case 'updateIsolatedMargin': {
      const amountUsd = Math.abs(a.ntli) / 1e6;
      if (!(amountUsd > 0) || !Number.isFinite(amountUsd)) return { ok: false, reason: 'a margin change of zero; nothing signed' };
      return { ok: true, action: { kind: 'collateral', asset: a.asset, amountUsd } };
    }
    case 'cancel':
    case 'cancelByCloid':
      return { ok: true, action: { kind: 'no-exposure', what: `cancel ${a.cancels.length} order${a.cancels.length === 1 ? '' : 's'}` } };
    case 'scheduleCancel':
      return { ok: true, action: { kind: 'no-exposure', what: a.time === undefined ? 'clear the scheduled cancel' : 'schedule a cancel of all orders' } };
    case 'updateLeverage':
      return { ok: true, action: { kind: 'no-exposure', what: `set leverage ${a.leverage}× ${a.isCross ? 'cross' : 'isolated'}` } };
  }
}
