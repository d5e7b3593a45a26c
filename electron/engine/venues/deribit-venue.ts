import { z } from 'zod';
import { DeribitMarketData, type DeribitCredentials, type DeribitMarketDataOptions } from '../../venues/deribit/market-data.ts';
import { DeribitAccountClient } from '../../venues/deribit/account-client.ts';
import { DeribitExecution, type Write } from '../../venues/deribit/execution.ts';
import { DeribitError } from '../../venues/deribit/json-rpc.ts';
import { OutcomeUnknown } from '../../venues/common/execution.ts';
import { deribitLoginSchema, deribitSentSchema, type SignAnswer, type SignRequest } from '../host-protocol.ts';
import type { OwnOrderStreams, VenueContext, VenueRegistration } from './registry.ts';

export interface DeribitVenueConfig {
  wsUrl: string;
  /** A key held in the engine (tests): the session logs in with it and trades on itself. */
  credentials?: DeribitCredentials;
  /** The key is main's: main logs the session in (read-only scope) and sends every order action. */
  sign?: (request: SignRequest) => Promise<SignAnswer>;
  options?: Partial<DeribitMarketDataOptions>;
}

/** Main's answer to an order action, as the execution client's Write contract says. */
function writeThroughMain(sign: NonNullable<DeribitVenueConfig['sign']>): Write {
  return async (method, params, purpose, summary) => {
    const answer = deribitSentSchema.parse(await sign({ venue: 'deribit', kind: 'send', method, params, purpose, summary: summary.slice(0, 200) }));
    const d = answer.deribit;
    if ('result' in d) return d.result;
    if ('error' in d) throw new DeribitError(method, d.error.code, d.error.message);
    throw new OutcomeUnknown(`${method}: ${d.unknown}`);
  };
}

/** Deribit as a registration: the option chain, tickers and books onto the bus; the options account with a key. */
export function deribitVenue(ctx: VenueContext, config: DeribitVenueConfig, own: () => OwnOrderStreams | null = () => null): VenueRegistration {
  const { bus } = ctx;
  const sign = config.credentials ? undefined : config.sign;
  let account: string | null = ctx.paper ? 'paper' : (config.credentials?.clientId ?? null);
  let execution: DeribitExecution | null = null;
  const login = sign
    ? async (): Promise<Record<string, unknown>> => {
        const answer = deribitLoginSchema.parse(await sign({ venue: 'deribit', kind: 'login' }));
        // The account is the API key's (its client id names it on screen, as Hyperliquid's master does).
        account = ctx.paper ? 'paper' : answer.clientId;
        if (execution) execution.account = account;
        return answer.login;
      }
    : undefined;
  const trades = Boolean(config.credentials || sign);
  const marketData = new DeribitMarketData(
    { wsUrl: config.wsUrl, paper: ctx.paper, now: ctx.now, ...(config.credentials ? { credentials: config.credentials } : {}), ...(login ? { login } : {}), ...config.options },
    {
      chain: (contracts) => bus.emit('option-chain', contracts),
      ticker: (t) => bus.emit('ticker', t),
      book: (name, book, receivedAt) => bus.emit('option-book', { name, book, receivedAt }),
      status: (s) => bus.emit('venue-status', s),
      reconnected: () => bus.emit('reconnected', { venue: 'deribit', at: ctx.now() }),
      ...(trades
        ? {
            ownTrade: (t: { label: string; tradeId: string; size: number; price: number; at: number }) => own()?.fill(t.label || null, { fillId: `trade:${t.tradeId}`, size: t.size, price: t.price, at: t.at }),
            ownCancel: (label: string, reason: string) => own()?.cancelled(label || null, reason),
            positionChanged: (instrument: string) => bus.emit('account-changed', { venue: 'deribit', instrument, at: ctx.now() }),
          }
        : {}),
    },
  );
  if (trades) {
    const read = (m: string, p: Record<string, unknown>, schema: z.ZodType): Promise<unknown> => marketData.privateCall(m, p, schema);
    execution = new DeribitExecution(read, sign ? writeThroughMain(sign) : (m, p) => marketData.privateCall(m, p, z.unknown()), account);
  }
  return {
    id: 'deribit',
    marketData,
    optionBook: (name) => marketData.book(name),
    // With a key the account is read and orders traded by label; without one, market data only.
    ...(execution ? { optionsAccount: () => marketData.account(), execution, account: new DeribitAccountClient((m, p, schema) => marketData.privateCall(m, p, schema)) } : {}),
  };
}
