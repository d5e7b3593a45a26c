import { z } from 'zod';

/**
 * Deribit's JSON-RPC payloads, validated once at the adapter. Deribit sends numbers (not decimal
 * strings) and adds fields over time, so objects are open (unknown keys pass) but every field we
 * read is checked. Docs and real payloads disagree on some types (venues.md §2.5): parse leniently
 * where they do.
 */
const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const nonNegative = finite.refine((x) => x >= 0, 'expected ≥ 0');
const positive = finite.refine((x) => x > 0, 'expected > 0');
const millis = z.number().int().nonnegative();
/** Deribit sends null for "no value" (no bid, no IV). */
const maybe = <T extends z.ZodType>(t: T) => t.nullish();

export const rpcError = z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() });

export const rpcResponse = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.number().int(),
  result: z.unknown().optional(),
  error: rpcError.optional(),
  usIn: z.number().optional(),
  usOut: z.number().optional(),
  usDiff: z.number().optional(),
  testnet: z.boolean().optional(),
});

export const rpcNotification = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string(),
  params: z.object({ channel: z.string().optional(), data: z.unknown().optional(), type: z.string().optional() }),
});

const level = z.tuple([z.enum(['new', 'change', 'delete']), positive, nonNegative]);

export const wireBook = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot'),
    timestamp: millis,
    instrument_name: z.string().min(1),
    change_id: z.number().int(),
    bids: z.array(level).max(10_000),
    asks: z.array(level).max(10_000),
  }),
  z.object({
    type: z.literal('change'),
    timestamp: millis,
    instrument_name: z.string().min(1),
    prev_change_id: z.number().int(),
    change_id: z.number().int(),
    bids: z.array(level).max(10_000),
    asks: z.array(level).max(10_000),
  }),
]);
export type WireBook = z.infer<typeof wireBook>;

export const wireGreeks = z.object({ delta: finite, gamma: finite, vega: finite, theta: finite, rho: finite.optional() });

export const wireTicker = z.object({
  instrument_name: z.string().min(1),
  timestamp: millis,
  state: z.string().optional(),
  best_bid_price: maybe(nonNegative),
  best_bid_amount: maybe(nonNegative),
  best_ask_price: maybe(nonNegative),
  best_ask_amount: maybe(nonNegative),
  mark_price: nonNegative,
  last_price: maybe(finite),
  bid_iv: maybe(nonNegative),
  ask_iv: maybe(nonNegative),
  mark_iv: maybe(nonNegative),
  underlying_index: z.string().optional(),
  underlying_price: maybe(positive),
  index_price: positive,
  interest_rate: maybe(finite),
  open_interest: maybe(nonNegative),
  greeks: wireGreeks.optional(),
});
export type WireTicker = z.infer<typeof wireTicker>;

export const wireInstrument = z.object({
  instrument_name: z.string().min(1),
  kind: z.string(),
  option_type: z.enum(['call', 'put']).optional(),
  strike: positive.optional(),
  expiration_timestamp: millis,
  is_active: z.boolean().optional(),
  settlement_period: z.string().optional(),
  base_currency: z.string(),
  settlement_currency: z.string().optional(),
  instrument_type: z.string().optional(),
  contract_size: positive,
  min_trade_amount: positive,
  tick_size: positive,
  tick_size_steps: z.array(z.object({ above_price: nonNegative, tick_size: positive })).optional(),
  maker_commission: finite.optional(),
  taker_commission: finite.optional(),
});
export type WireInstrument = z.infer<typeof wireInstrument>;

export const wireAuth = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

export const wirePosition = z.object({
  instrument_name: z.string().min(1),
  kind: z.string(),
  /** Options: contracts (coins); futures: USD. Negative when short. */
  size: finite,
  direction: z.enum(['buy', 'sell', 'zero']),
  average_price: finite,
  mark_price: finite,
  index_price: maybe(finite),
  floating_profit_loss: maybe(finite),
  delta: maybe(finite),
  gamma: maybe(finite),
  vega: maybe(finite),
  theta: maybe(finite),
});
export type WirePosition = z.infer<typeof wirePosition>;

export const wireAccountSummary = z.object({
  currency: z.string(),
  equity: finite,
  balance: finite,
  margin_balance: maybe(finite),
  available_funds: finite,
  initial_margin: finite,
  maintenance_margin: finite,
  delta_total: maybe(finite),
  options_delta: maybe(finite),
  options_gamma: maybe(finite),
  options_vega: maybe(finite),
  options_theta: maybe(finite),
});
export type WireAccountSummary = z.infer<typeof wireAccountSummary>;
