import { OutcomeUnknown } from '../../venues/common/execution.ts';
import { DeriveExecution, type DeriveWrite } from '../../venues/derive/execution.ts';
import { DeriveMarketData, DeriveRpcError, type DeriveMarketDataOptions } from '../../venues/derive/market-data.ts';
import { deriveAccountName, deriveAccountSummary, deriveSubaccount, normaliseDerivePositions } from '../../venues/derive/positions.ts';
import { derivePeerListing, derivePeerQuote } from '../../venues/derive/wire-schemas.ts';
import { deriveLoginSchema, deriveSentSchema, type SignAnswer, type SignRequest } from '../host-protocol.ts';
import type { OwnOrderStreams, VenueContext, VenueRegistration } from './registry.ts';

export interface DeriveVenueConfig {
  wsUrl: string;
  options?: Partial<DeriveMarketDataOptions>;
  /** Main's signatures (the session key stays there); absent, Derive is market data only. */
  sign?: (request: SignRequest) => Promise<SignAnswer>;
}

/** Main's answer to an order action, as the execution client's write contract says. */
function writeThroughMain(sign: NonNullable<DeriveVenueConfig['sign']>): DeriveWrite {
  return async (method, params, purpose, summary) => {
    const d = deriveSentSchema.parse(await sign({ venue: 'derive', kind: 'send', method, params, purpose, summary: summary.slice(0, 200) })).derive;
    if ('result' in d) return d.result;
    if ('error' in d) throw new DeriveRpcError(`Derive ${method}`, d.error.code, d.error.message, undefined);
    throw new OutcomeUnknown(`${method}: ${d.unknown}`);
  };
}

/**
 * Derive as a registration: its option listing and slim tickers onto the bus in canonical units,
 * where the chain sets them beside the same contracts on Deribit; with main able to sign, the
 * session is logged in with the session key's signature, and orders go by label through main.
 */
export function deriveVenue(ctx: VenueContext, config: DeriveVenueConfig, own: () => OwnOrderStreams | null = () => null): VenueRegistration {
  const { bus } = ctx;
  const sign = config.sign;
  const marketData = new DeriveMarketData(
    {
      wsUrl: config.wsUrl,
      paper: ctx.paper,
      now: ctx.now,
      ...(sign ? { login: async () => deriveLoginSchema.parse(await sign({ venue: 'derive', kind: 'login' })).deriveLogin } : {}),
      ...config.options,
    },
    {
      options: (contracts) => bus.emit('peer-listing', { venue: 'derive', listings: contracts.map(derivePeerListing) }),
      quote: (q) => bus.emit('peer-quote', derivePeerQuote(q)),
      status: (s) => bus.emit('venue-status', s),
      book: (name, b, receivedAt) =>
        bus.emit('peer-book', { venue: 'derive', name, time: b.timestamp, receivedAt, bids: b.bids.map(([price, size]) => ({ price, size })), asks: b.asks.map(([price, size]) => ({ price, size })) }),
      ownTrade: (t) => own()?.fill(t.label || null, { fillId: `trade:${t.trade_id}`, size: t.trade_amount, price: t.trade_price, at: t.timestamp }),
      ownOrder: (o) => {
        // Fills come with their own stream, rests with the answer: only the venue's cancels matter here.
        if (o.order_status === 'cancelled' || o.order_status === 'expired') own()?.cancelled(o.label || null, o.cancel_reason ?? o.order_status);
      },
      reconnected: () => bus.emit('reconnected', { venue: 'derive', at: ctx.now() }),
    },
  );
  const venue: VenueRegistration = { id: 'derive', marketData, peerBook: (name) => marketData.focusBook(name) };
  if (sign) {
    venue.accountPositions = async () => {
      // Not logged in (no session key): no account of ours to show, rather than an error row.
      if (marketData.subaccountId === null && marketData.wallet === null) return { positions: [], summaries: [] };
      const s = deriveSubaccount.parse(await marketData.privateCall('private/get_subaccount'));
      const account = deriveAccountName(marketData.wallet ?? '', s.subaccount_id);
      const { positions } = normaliseDerivePositions(account, s, (name) => marketData.contracts.get(name)?.expiry);
      // What is held has its book streamed, so an unwind walks depth rather than the touch.
      marketData.holdBooks(positions.map((p) => p.instrument));
      return { positions, summaries: [deriveAccountSummary(account, s, ctx.now())] };
    };
    venue.execution = new DeriveExecution({
      read: (m, p) => marketData.privateCall(m, p),
      write: writeThroughMain(sign),
      contract: (name) => marketData.contracts.get(name),
      wallet: () => marketData.wallet,
    });
  }
  return venue;
}
