import type { CommandResponse } from '../../../shared/contract/commands.ts';
import type { OptionsDesk } from '../options/options-desk.ts';
import type { VenueRegistry } from '../venues/registry.ts';
import type { EngineHandlers } from './handlers.ts';

/** options.*: the chain, the focused book, and the options account. */
export function optionsCommands(venues: VenueRegistry, options: OptionsDesk): EngineHandlers<'options'> {
  async function account(): Promise<CommandResponse<'options.account'>> {
    const source = venues.having('optionsAccount')[0];
    if (!source) throw new Error(venues.having('optionBook').length ? 'Deribit: no API key configured (read-only key needed for positions)' : 'Deribit is not configured');
    const accounts = await source.optionsAccount();
    return accounts.map(({ currency, summary, positions }) => ({
      currency,
      equity: summary.equity,
      availableFunds: summary.available_funds,
      initialMargin: summary.initial_margin,
      maintenanceMargin: summary.maintenance_margin,
      deltaTotal: summary.delta_total ?? null,
      positions: positions.map((p) => ({
        name: p.instrument_name,
        kind: p.kind,
        size: p.size,
        averagePrice: p.average_price,
        markPrice: p.mark_price,
        floatingPnl: p.floating_profit_loss ?? null,
        delta: p.delta ?? null,
      })),
    }));
  }

  return {
    'options.chain': () => ({ venue: 'deribit', contracts: options.board.contracts }),
    'options.focus': (p) => {
      const book = p.name ? venues.having('optionBook')[0]?.optionBook(p.name) : undefined;
      options.focus(p.name, book);
      // The same contract's book on the venue that lists it beside Deribit, or none.
      const peer = options.focusedPeer;
      for (const v of venues.having('peerBook')) v.peerBook(peer?.venue === v.id ? peer.name : null);
      return { ok: true };
    },
    'options.account': () => account(),
  };
}
