import { z } from 'zod';
import type { CommandResult } from '../../shared/contract/result.ts';
import type { SimEndpoints } from '../sim/start-sim.ts';
import type { Network } from '../../shared/domain/networks.ts';
import { venueNetworksSchema } from '../../shared/contract/network-schemas.ts';
import { DERIBIT_WRITE_METHODS } from '../venues/deribit/write-methods.ts';
import type { Alert } from '../../shared/domain/alerts.ts';

/** How the engine is started by its host (main, the headless host, or a test). */

export const engineBootSchema = z.object({
  /** Kept for callers that predate per-venue networks: paper puts every venue on the simulator. */
  mode: z.enum(['paper', 'live']),
  /** Which network each venue runs on; absent, every venue follows `mode`. */
  networks: venueNetworksSchema.optional(),
  /** Tests: the venues' "testnet" endpoints are the simulators, so live code runs against them. */
  testnetAtSim: z.boolean().optional(),
  /** Paper mode: seed of the simulated market. */
  seed: z.number().int().default(1),
  /** Paper mode, tests only: enables the simulator's fault-injection endpoint. */
  simControlToken: z.string().min(16).optional(),
  simBookIntervalMs: z.number().int().min(1).max(10_000).optional(),
  /** Paper mode: the simulator's local Aave v3 market (on unless switched off). */
  paperAave: z.boolean().default(true),
  /** Live mode: the venue's endpoints. */
  hyperliquid: z.object({ httpUrl: z.url(), wsUrl: z.url() }).optional(),
  /** Adapter tuning, used by tests to shorten heartbeats and staleness. */
  staleAfterMs: z.number().int().min(100).optional(),
  /** Tests: shorter Deribit heartbeat (the simulator accepts it; the venue's minimum is 10 s). */
  deribitHeartbeatS: z.number().int().min(1).max(120).optional(),
  /** Live mode: Deribit's WebSocket (read-only market data; an API key adds positions). */
  deribit: z.object({ wsUrl: z.url() }).optional(),
  /** The app's user-data folder (portfolio settings); absent: settings live in memory only. */
  dataDir: z.string().min(1).optional(),
  /** What-ifs of this session, kept by the host across an engine restart. */
  whatIfs: z.array(z.object({ id: z.string().max(300), request: z.unknown(), entry: z.number() })).max(500).optional(),
});
export type EngineBoot = z.input<typeof engineBootSchema>;

/**
 * The engine asks main to sign (DESIGN.md §4b): it sends the venue action itself, never a key
 * name or a claim of what the action is; main reads the action, runs the budget guard on it,
 * picks the venue's approved agent and answers with the signature or a refusal.
 */
const purposeSchema = z.enum(['hedge', 'manual', 'flatten', 'top-up']);
export const hyperliquidSignRequestSchema = z
  .object({
    venue: z.literal('hyperliquid'),
    action: z.record(z.string(), z.unknown()),
    vaultAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/).nullable().optional(),
    expiresAfter: z.number().int().positive().nullable().optional(),
    purpose: purposeSchema,
    /** For the journal; changes nothing the guard decides. */
    summary: z.string().max(200).optional(),
  })
  .strict();

/**
 * Deribit has no per-order signature: a session is logged in once. So the engine's own session is
 * logged in by main with a scope that can read orders but not send them (`login`), and every
 * order action goes to main (`send`), which reads it, runs the guard and sends it on its own
 * trading connection — the one whose cancel-on-disconnect protects the resting orders.
 */
export const deribitLoginRequestSchema = z.object({ venue: z.literal('deribit'), kind: z.literal('login') }).strict();

/** An order action main sends for the engine (Deribit, Derive): the method, its params as they will go, and why. */
function sendRequestSchema<V extends string, M extends readonly [string, ...string[]]>(venue: V, methods: M) {
  return z
    .object({
      venue: z.literal(venue),
      kind: z.literal('send'),
      method: z.enum(methods),
      params: z.record(z.string(), z.unknown()),
      purpose: purposeSchema,
      summary: z.string().max(200).optional(),
    })
    .strict();
}

/** What a venue answered to an action main sent: its result, its error, or — the line dropped or timed out after sending — nothing known. */
const sentAnswer = z.union([
  z.object({ result: z.unknown() }).strict(),
  z.object({ error: z.object({ code: z.number(), message: z.string() }).strict() }).strict(),
  z.object({ unknown: z.string() }).strict(),
]);

export const deribitSendRequestSchema = sendRequestSchema('deribit', DERIBIT_WRITE_METHODS);

/**
 * Derive signs every order as an action (venues.md §3.7), with a session key the owner registered.
 * The key stays in main: the engine's session is logged in with main's signature over the time
 * (`login`), and every order action goes to main as its unsigned fields (`send`); main reads the
 * instrument from Derive itself, builds and guards the action, signs it with the session key,
 * journals it and sends it.
 */
export const DERIVE_WRITE_METHODS = ['private/order', 'private/cancel_by_label', 'private/cancel_all'] as const;
export const deriveLoginRequestSchema = z.object({ venue: z.literal('derive'), kind: z.literal('login') }).strict();
export const deriveSendRequestSchema = sendRequestSchema('derive', DERIVE_WRITE_METHODS);
export type DeriveSendRequest = z.infer<typeof deriveSendRequestSchema>;
/** The engine's login: the owner's wallet, the ms timestamp and the session key's signature over it, and the subaccount it trades. */
export const deriveLoginSchema = z.object({ deriveLogin: z.object({ wallet: z.string().regex(/^0x[0-9a-fA-F]{40}$/), timestamp: z.number().int().positive(), signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/), subaccountId: z.number().int().nonnegative() }).strict() }).strict();
/** Derive's answer to an action main sent, as Deribit's. */
export const deriveSentSchema = z.object({ derive: sentAnswer }).strict();
export type DeriveSent = z.infer<typeof deriveSentSchema>;

/**
 * An EVM transaction for Aave (a top-up): the engine builds it (nonce, gas, fees from the chain),
 * main decodes it, checks the destination, the token, the amount, the spender and the fees against
 * what it knows and the budget, signs it with the vault key of `from`, and hands back the raw
 * transaction for the engine to broadcast.
 */
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
const uint = z.string().regex(/^[0-9]{1,78}$/, 'expected a decimal integer');
export const aaveTxRequestSchema = z
  .object({
    venue: z.literal('aave'),
    kind: z.literal('tx'),
    from: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    tx: z.object({ chainId: z.number().int().positive(), to: z.string().regex(/^0x[0-9a-fA-F]{40}$/), data: hex, nonce: z.number().int().min(0), gasLimit: uint, maxFeePerGas: uint, maxPriorityFeePerGas: uint, value: uint }).strict(),
    purpose: purposeSchema,
    summary: z.string().max(200).optional(),
  })
  .strict();
export type AaveTxRequest = z.infer<typeof aaveTxRequestSchema>;
export const aaveSignedSchema = z.object({ rawTx: hex }).strict();

/** Which Hyperliquid account main would sign for now (its newest approved agent's master), or null. */
export const hyperliquidAccountRequestSchema = z.object({ venue: z.literal('hyperliquid'), kind: z.literal('account') }).strict();
export const hyperliquidAccountSchema = z.object({ hyperliquidAccount: z.string().regex(/^0x[0-9a-f]{40}$/).nullable() }).strict();

export const signRequestSchema = z.union([hyperliquidSignRequestSchema, hyperliquidAccountRequestSchema, deribitLoginRequestSchema, deribitSendRequestSchema, deriveLoginRequestSchema, deriveSendRequestSchema, aaveTxRequestSchema]);
export type SignRequest = z.infer<typeof signRequestSchema>;
export type HyperliquidSignRequest = z.infer<typeof hyperliquidSignRequestSchema>;
export type DeribitSendRequest = z.infer<typeof deribitSendRequestSchema>;

/** `account`: the master the agent that signed trades for; the engine's orders are that account's. */
export const signedSchema = z
  .object({ nonce: z.number().int().positive(), signature: z.object({ r: z.string(), s: z.string(), v: z.number().int() }).strict(), account: z.string().regex(/^0x[0-9a-f]{40}$/).optional() })
  .strict();
export type Signed = z.infer<typeof signedSchema>;

/** The `public/auth` params for the engine's read session, and the API key's client id (the account's name). */
export const deribitLoginSchema = z.object({ login: z.record(z.string(), z.unknown()), clientId: z.string() }).strict();
/**
 * What Deribit answered to an action main sent: its result, its error, or — the connection
 * dropped or timed out after sending — nothing known, to be asked by label before anything is resent.
 */
export const deribitSentSchema = z.object({ deribit: sentAnswer }).strict();
export type DeribitSent = z.infer<typeof deribitSentSchema>;

export const signAnswerSchema = z.union([signedSchema, hyperliquidAccountSchema, deribitLoginSchema, deribitSentSchema, deriveLoginSchema, deriveSentSchema, aaveSignedSchema]);
export type SignAnswer = z.infer<typeof signAnswerSchema>;

const signResultSchema = z.union([
  z.object({ ok: z.literal(true), value: signAnswerSchema }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export const hostToEngineSchema = z.discriminatedUnion('type', [
  /** Main's answer to the engine's `sign`. */
  z.object({ type: z.literal('sign-result'), id: z.number().int(), result: signResultSchema }),
  z.object({ type: z.literal('start'), boot: engineBootSchema }),
  z.object({ type: z.literal('request'), id: z.number().int(), name: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('attach-stream') }),
  /** A new page joined an existing stream (headless host): send it the whole current state. */
  z.object({ type: z.literal('republish') }),
  /** The host's pages drew `n` more of the frames it was sent: that much credit comes back. */
  z.object({ type: z.literal('drawn'), n: z.number().int().min(1).max(1_000) }),
  z.object({ type: z.literal('stop') }),
]);
export type HostToEngine = z.input<typeof hostToEngineSchema>;

/** Where the engine's venues actually point, as started (main signs and guards against the same). */
export interface VenueEndpointsInUse {
  hyperliquid: { httpUrl: string; wsUrl: string; network: Network };
  deribit: { wsUrl: string; network: Network } | null;
  /** Derive's HTTP base (main's own line for signed actions) and the chain its actions are signed for. */
  derive?: { wsUrl: string; httpUrl: string; chainId: number; network: Network } | null;
}

export type EngineToHost =
  | { type: 'ready'; sim: SimEndpoints | null; endpoints: VenueEndpointsInUse }
  | { type: 'response'; id: number; result: CommandResult<unknown> }
  | { type: 'frame'; bytes: Uint8Array }
  | { type: 'sign'; id: number; request: SignRequest }
  /** A critical alert was raised or escalated: the host raises a desktop notification. */
  | { type: 'alert'; alert: Alert }
  | { type: 'fatal'; message: string };
