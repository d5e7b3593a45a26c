import { autoHedgeConfigSchema, autoHedgeStatusSchema, hedgeConfirmResultSchema, hedgeIdSchema, hedgePreviewSchema, hedgeTargetSchema } from './hedge-schemas.ts';
import { z } from 'zod';
import { arbIdSchema, arbPreviewSchema, arbRunSchema } from './arb-schemas.ts';
import { divestIdSchema, divestPlanSchema, divestRunSchema, divestScopeSchema, divestSnapshotSchema, divestVenueSchema, stopStatusSchema } from './divest-schemas.ts';
import { alertKeySchema, alertRuleSetSchema, alertRulesSchema, alertsSnapshotSchema, topUpRuleSchema, topUpStatusSchema } from './alert-schemas.ts';
import {
  appInfoSchema,
  candleSchema,
  csvImportResultSchema,
  evmAddressSchema,
  ladderInputsSchema,
  numeraireSchema,
  ladderSpecSchema,
  underlyingSchema,
  whatIfSchema,
  deribitAccountSchema,
  optionChainSchema,
  optionNameSchema,
  instrumentIdSchema,
  instrumentSchema,
  timeframeSchema,
  venueStatusSchema,
  venueIdSchema,
  perpStatsSchema,
} from './schemas.ts';
import { venueNetworksSchema } from './network-schemas.ts';
import { intentIdSchema, journalPageSchema, journalQuerySchema, orderPlaceSchema, orderRowSchema, ordersSnapshotSchema } from './order-schemas.ts';
import { apiClientIdSchema, apiKeySchema, apiKeyVenueSchema, budgetLimitsInputSchema, journalLineSchema, ledgerStatusSchema, ownerConfirmSchema, passphraseSchema, signerRefSchema, vaultKeySchema, vaultStatusSchema } from './vault-schemas.ts';

/** Event-loop delay of one thread (shared/perf/loop-delay.ts), ms. */
const loopDelaySchema = z.object({ p50Ms: z.number(), p99Ms: z.number(), maxMs: z.number(), samples: z.number().int(), windowMs: z.number() });

/**
 * Every request the renderer may make, with the schema of its payload and of its answer.
 * `handledBy` says who answers: the host itself (main or the headless host) or the engine.
 * Adding a command here is the only way to widen the renderer's reach.
 */
export const COMMANDS = {
  'app.info': {
    handledBy: 'host',
    request: z.object({}).strict(),
    response: appInfoSchema,
  },
  /** The trader's keymap overrides (keymap.json in the user-data folder). */
  'app.keymap': {
    handledBy: 'host',
    request: z.object({}).strict(),
    response: z.object({ file: z.string().nullable(), bindings: z.record(z.string(), z.array(z.string())), errors: z.array(z.string()) }),
  },
  /** The engine's state as its host sees it: running, or restarting after a crash (and how often). */
  'app.health': {
    handledBy: 'host',
    request: z.object({}).strict(),
    response: z.object({
      engine: z.object({ state: z.enum(['starting', 'running', 'restarting']), restarts: z.number().int(), since: z.number(), lastExit: z.string().nullable() }),
      /** How late the host's own event loop runs (main in Electron, the server in the browser build). */
      loop: loopDelaySchema,
      /** Which network each venue runs on now (the screen's live banner). */
      networks: venueNetworksSchema,
    }),
  },
  /** The venues' networks, where they point, and whether "testnet" is the simulators (tests). */
  'app.networks': {
    handledBy: 'host',
    request: z.object({}).strict(),
    response: z.object({ networks: venueNetworksSchema, testnetAtSim: z.boolean(), file: z.string(), notice: z.string().nullable() }),
  },
  /**
   * Moves venues between paper, testnet and mainnet; the engine restarts on the new endpoints.
   * A venue newly on mainnet needs `confirm` typed exactly as MAINNET_CONFIRMATION.
   */
  'app.setNetworks': {
    handledBy: 'host',
    request: z.object({ networks: venueNetworksSchema, confirm: z.string().max(20).nullable() }).strict(),
    response: z.object({ networks: venueNetworksSchema, testnetAtSim: z.boolean(), file: z.string(), notice: z.string().nullable() }),
  },
  /** The trader is at the keyboard (sent at most every 20 s): keeps the vault from idling into a lock. */
  'app.activity': { handledBy: 'host', request: z.object({}).strict(), response: z.object({ ok: z.literal(true) }) },
  'vault.status': { handledBy: 'host', request: z.object({}).strict(), response: vaultStatusSchema },
  'vault.checkPassphrase': {
    handledBy: 'host',
    request: z.object({ passphrase: passphraseSchema }).strict(),
    response: z.object({ score: z.number(), acceptable: z.boolean(), problem: z.string(), suggestions: z.array(z.string()) }),
  },
  'vault.create': { handledBy: 'host', request: z.object({ passphrase: passphraseSchema }).strict(), response: vaultStatusSchema },
  'vault.unlock': { handledBy: 'host', request: z.object({ passphrase: passphraseSchema }).strict(), response: vaultStatusSchema },
  'vault.lock': { handledBy: 'host', request: z.object({}).strict(), response: vaultStatusSchema },
  /** A master key from its private key or recovery phrase; the secret goes one way, into main. */
  'vault.importKey': {
    handledBy: 'host',
    request: z
      .object({
        label: z.string().trim().min(1).max(40),
        privateKey: z.string().max(200).optional(),
        mnemonic: z.string().max(400).optional(),
        accountIndex: z.number().int().min(0).max(1000).default(0),
      })
      .strict()
      .refine((r) => (r.privateKey === undefined) !== (r.mnemonic === undefined), 'give either a private key or a recovery phrase'),
    response: vaultKeySchema,
  },
  /** Irreversible: confirmed with the passphrase or on the Ledger. */
  'vault.deleteKey': { handledBy: 'host', request: z.object({ id: z.string().max(40), confirm: ownerConfirmSchema }).strict(), response: vaultStatusSchema },
  /**
   * A venue API key (Deribit) for one network: the secret goes one way, into main, and is never
   * shown again; the vault signs Deribit's authentication and private requests with it.
   */
  'vault.addApiKey': {
    handledBy: 'host',
    request: z
      .object({
        venue: apiKeyVenueSchema,
        network: z.enum(['testnet', 'mainnet']),
        label: z.string().trim().min(1).max(40),
        clientId: apiClientIdSchema,
        clientSecret: z.string().min(1).max(200),
      })
      .strict(),
    response: apiKeySchema,
  },
  /** Irreversible: confirmed with the passphrase or on the Ledger. */
  'vault.deleteApiKey': { handledBy: 'host', request: z.object({ id: z.string().max(40), confirm: ownerConfirmSchema }).strict(), response: vaultStatusSchema },
  /** A Web3 Secret Storage v3 file of one key, encrypted with the vault passphrase (never plain). */
  'vault.exportKey': { handledBy: 'host', request: z.object({ id: z.string().max(40), passphrase: passphraseSchema }).strict(), response: z.object({ fileName: z.string(), keystore: z.string() }) },
  'vault.approveAgent': {
    handledBy: 'host',
    /** The master signs for the agent; confirmed with the passphrase (a local master) or on the Ledger. */
    request: z.object({ master: signerRefSchema, name: z.string().max(16), validDays: z.number().int().min(1).max(180), confirm: ownerConfirmSchema }).strict(),
    response: vaultKeySchema,
  },
  /**
   * A new Derive session key: generated in the vault, registered by the owner (a master key or the
   * Ledger) for the owner's subaccount with only the options-trading scope, until `validDays` from
   * now. Confirmed with the passphrase or on the Ledger; a key is never reused.
   */
  'vault.registerSessionKey': {
    handledBy: 'host',
    request: z.object({ owner: signerRefSchema, label: z.string().max(16), validDays: z.number().int().min(1).max(30), confirm: ownerConfirmSchema }).strict(),
    response: vaultKeySchema,
  },
  /**
   * Revoke-all (the kill switch's last step for keys): every Hyperliquid agent on this network is
   * replaced at the venue by a burned address, its key deleted, and the vault locked.
   */
  'vault.revokeAll': {
    handledBy: 'host',
    request: z.object({ confirm: ownerConfirmSchema }).strict(),
    response: z.object({ revoked: z.array(z.string().max(200)), failed: z.array(z.string().max(500)) }),
  },
  'vault.setBudget': {
    handledBy: 'host',
    request: z
      .object({
        limits: budgetLimitsInputSchema,
        confirm: ownerConfirmSchema,
      })
      .strict(),
    response: vaultStatusSchema,
  },
  'vault.setIdleLock': { handledBy: 'host', request: z.object({ minutes: z.number().int().min(1).max(720) }).strict(), response: vaultStatusSchema },
  'vault.journal': { handledBy: 'host', request: z.object({ limit: z.number().int().min(1).max(500) }).strict(), response: z.array(journalLineSchema) },
  'ledger.status': { handledBy: 'host', request: z.object({}).strict(), response: ledgerStatusSchema },
  /** Reads the address at a path from the Ledger (shown on the device to confirm) and remembers it. */
  'ledger.addAccount': {
    handledBy: 'host',
    request: z.object({ accountIndex: z.number().int().min(0).max(1000), label: z.string().trim().max(40) }).strict(),
    response: vaultStatusSchema,
  },
  'ledger.cancel': { handledBy: 'host', request: z.object({}).strict(), response: z.object({ cancelled: z.boolean() }) },
  'market.instruments': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: z.array(instrumentSchema),
  },
  'market.candles': {
    handledBy: 'engine',
    request: z.object({ instrumentId: instrumentIdSchema, timeframe: timeframeSchema }).strict(),
    response: z.array(candleSchema),
  },
  /** The perp's mark, oracle/index, 24 h change, funding and open interest, read from the venue (cached 2 s). */
  'market.stats': {
    handledBy: 'engine',
    request: z.object({ instrumentId: instrumentIdSchema }).strict(),
    response: perpStatsSchema,
  },
  /**
   * The book the screen shows and its grouping step (quote currency): where the venue aggregates at
   * that step it streams that book grouped (frames' `groupedBooks`); null instrument stops it.
   */
  'market.groupBook': {
    handledBy: 'engine',
    request: z.object({ instrumentId: instrumentIdSchema.nullable(), step: z.number().positive().finite() }).strict(),
    response: z.object({ grouped: z.boolean() }),
  },
  /** How late the engine's event loop runs, over about the last minute; `reset` starts a new window. */
  'engine.health': {
    handledBy: 'engine',
    request: z.object({ reset: z.boolean().optional() }).strict(),
    response: z.object({ loop: loopDelaySchema }),
  },
  'venues.status': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: z.array(venueStatusSchema),
  },
  'options.chain': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: optionChainSchema,
  },
  /** The option whose order book the screen shows (null: none). Only that book is streamed. */
  'options.focus': {
    handledBy: 'engine',
    request: z.object({ name: optionNameSchema.nullable() }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /** Deribit positions and account summary (read-only API key, or the paper account). */
  'options.account': {
    handledBy: 'engine',
    request: z.object({}).strict(),
    response: z.array(deribitAccountSchema),
  },
  /** Positions from a CSV file (docs/positions-csv.md); bad rows come back one error each. */
  'portfolio.import': {
    handledBy: 'engine',
    request: z.object({ csv: z.string().max(2_000_000, 'file larger than 2 MB'), fileName: z.string().min(1).max(200), replace: z.boolean() }).strict(),
    response: csvImportResultSchema,
  },
  /** Removes one imported position (by id), or all of them (null). */
  'portfolio.removeImported': {
    handledBy: 'engine',
    request: z.object({ id: z.string().max(300).nullable() }).strict(),
    response: z.object({ removed: z.number().int() }),
  },
  /** The Hyperliquid accounts to watch (master or sub-account addresses, never an agent's). */
  'portfolio.accounts': {
    handledBy: 'engine',
    request: z.object({ hyperliquidAddresses: z.array(evmAddressSchema).max(50) }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'portfolio.whatIf.add': {
    handledBy: 'engine',
    request: whatIfSchema,
    /** `entry`: the model price it was entered at (coin per contract for options, USD for perps). */
    response: z.object({ id: z.string(), entry: z.number() }),
  },
  /** Removes one what-if position (by id), or all of them (null). */
  'portfolio.whatIf.remove': {
    handledBy: 'engine',
    request: z.object({ id: z.string().max(300).nullable() }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  'portfolio.ladder': {
    handledBy: 'engine',
    request: ladderSpecSchema.strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /** What PnL is counted in (USD or the underlying coin); every delta shown follows it. Saved. */
  'portfolio.numeraire': {
    handledBy: 'engine',
    request: z.object({ numeraire: numeraireSchema }).strict(),
    response: z.object({ ok: z.literal(true) }),
  },
  /** The exact inputs of a ladder the engine published, to recompute it independently. */
  'portfolio.ladderInputs': {
    handledBy: 'engine',
    request: z.object({ underlying: underlyingSchema, computedAt: z.number() }).strict(),
    response: ladderInputsSchema,
  },
  /**
   * A manual order (DESIGN.md §4b): the engine builds the venue action, main's guard reads it and
   * signs. The same intent id again is the same order, never a second one.
   */
  'orders.place': { handledBy: 'engine', request: orderPlaceSchema, response: orderRowSchema },
  /** A working order moved to a new limit and size, same client id; the venue's refusal leaves it as it was. */
  'orders.modify': {
    handledBy: 'engine',
    request: z.object({ intentId: intentIdSchema, limit: z.number().finite().positive().max(1e12), size: z.number().finite().positive().max(1e9) }).strict(),
    response: orderRowSchema,
  },
  'orders.cancel': { handledBy: 'engine', request: z.object({ intentId: intentIdSchema }).strict(), response: orderRowSchema },
  /** Every live order on one venue, or on all (null). */
  'orders.cancelAll': {
    handledBy: 'engine',
    request: z.object({ venue: venueIdSchema.nullable() }).strict(),
    response: z.object({ cancelled: z.number().int(), failed: z.array(z.string()) }),
  },
  'orders.list': { handledBy: 'engine', request: z.object({}).strict(), response: ordersSnapshotSchema },
  /**
   * Hedge to target (issue "Hedging"): a plan for one underlying, kept by the engine under an id
   * for a few seconds; `fraction` 1 hedges to the target, 0.5 half-way. Nothing is sent.
   */
  'hedge.preview': {
    handledBy: 'engine',
    request: z.object({ underlying: underlyingSchema, fraction: z.number().finite().gt(0).max(1) }).strict(),
    response: hedgePreviewSchema,
  },
  /** Sends a previewed hedge by its id, planned again against the live book; refused if it moved or expired. */
  'hedge.confirm': { handledBy: 'engine', request: z.object({ id: hedgeIdSchema }).strict(), response: hedgeConfirmResultSchema },
  /** A mispricing from the list as one combination: its legs at the touches now, by the finding's key. Sends nothing. */
  'arb.preview': {
    handledBy: 'engine',
    /** `maxNotionalUsd`: the budget's order limit, so no leg is planned past what main will sign (an option leg counts its whole underlying). */
    request: z.object({ key: z.string().min(3).max(400), size: z.number().finite().positive().max(1e6).nullable(), maxNotionalUsd: z.number().finite().positive().nullable().default(null) }).strict(),
    response: arbPreviewSchema,
  },
  /** Sends a previewed combination by its id (armed and confirmed on screen); planned again on the live quotes. */
  'arb.send': { handledBy: 'engine', request: z.object({ id: arbIdSchema }).strict(), response: arbRunSchema },
  /** Closes what a leg left open without its partner, on its own venue. */
  'arb.unwind': { handledBy: 'engine', request: z.object({ id: arbIdSchema }).strict(), response: arbRunSchema },
  /** The delta to hedge an underlying to, coins, and the perp to hedge it with. */
  'hedge.target': { handledBy: 'engine', request: hedgeTargetSchema, response: hedgeTargetSchema },
  'hedge.targets': { handledBy: 'engine', request: z.object({}).strict(), response: z.array(hedgeTargetSchema) },
  /** Arms (live or shadow), re-arms or turns off the auto-hedger of one underlying; saved (live comes back off after a restart). */
  'hedge.auto.set': { handledBy: 'engine', request: autoHedgeConfigSchema, response: autoHedgeStatusSchema },
  'hedge.auto.status': { handledBy: 'engine', request: z.object({}).strict(), response: z.array(autoHedgeStatusSchema) },
  /** Alerts in force, recently cleared, and every rule's thresholds (issue "Monitoring"). */
  'alerts.list': { handledBy: 'engine', request: z.object({}).strict(), response: alertsSnapshotSchema },
  /** One rule's thresholds, hysteresis and on/off; saved, and judged again at once. */
  'alerts.rule': { handledBy: 'engine', request: alertRuleSetSchema, response: alertRulesSchema },
  /** The trader has seen an alert: no more toasts or notifications for it until it gets worse. */
  'alerts.ack': { handledBy: 'engine', request: alertKeySchema, response: z.object({ acknowledged: z.boolean() }) },
  /**
   * Arms (live or dry-run) or turns off the collateral top-up of one Hyperliquid isolated
   * position; saved, and restored as it was after a restart (a sleeping trader's protection).
   */
  'alerts.topUp': { handledBy: 'engine', request: topUpRuleSchema, response: topUpStatusSchema },
  'alerts.topUps': { handledBy: 'engine', request: z.object({}).strict(), response: z.array(topUpStatusSchema) },
  /**
   * The kill switch's dry run (issue "Kill switch"): every step in its safe order with its
   * estimated cost, kept by the engine under an id for a minute. Nothing is sent.
   */
  'divest.plan': { handledBy: 'engine', request: z.object({ scope: divestScopeSchema, withdraw: z.boolean().default(false) }).strict(), response: divestPlanSchema },
  /** Executes a kept plan by its id; `confirm` is the word the plan asks to be typed. */
  'divest.execute': { handledBy: 'engine', request: z.object({ id: divestIdSchema, confirm: z.string().max(40) }).strict(), response: divestRunSchema },
  /** Stops the run under way after the slices already sent; the report says what is left. */
  'divest.stop': { handledBy: 'engine', request: z.object({}).strict(), response: divestRunSchema.nullable() },
  /** Arms (or disarms) a venue's divestment on a "protocol broke" alert; off by default, saved. */
  'divest.arm': { handledBy: 'engine', request: z.object({ venue: divestVenueSchema, armed: z.boolean() }).strict(), response: z.array(divestVenueSchema) },
  'divest.status': { handledBy: 'engine', request: z.object({}).strict(), response: divestSnapshotSchema },
  /** A protective stop for a Hyperliquid position of the trading account (null removes it); kept at the venue, saved. */
  'divest.protect': {
    handledBy: 'engine',
    request: z.object({ coin: z.string().regex(/^[A-Z0-9]{1,12}$/), triggerPx: z.number().finite().positive().max(1e9).nullable() }).strict(),
    response: z.array(stopStatusSchema),
  },
  /** The engine's journal, newest first, filtered (the journal screen and its CSV export). */
  'journal.query': { handledBy: 'engine', request: journalQuerySchema, response: journalPageSchema },
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandRequest<K extends CommandName> = z.input<(typeof COMMANDS)[K]['request']>;
export type CommandResponse<K extends CommandName> = z.output<(typeof COMMANDS)[K]['response']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}
