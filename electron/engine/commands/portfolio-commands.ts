import type { CommandRequest } from '../../../shared/contract/commands.ts';
import type { NewPosition } from '../../../shared/domain/portfolio.ts';
import { optionName } from '../../venues/deribit/instrument-name.ts';
import type { PortfolioDesk } from '../portfolio/portfolio-desk.ts';
import type { EngineHandlers } from './handlers.ts';

/** portfolio.*: imported positions, watched accounts, what-ifs and the ladder. */
export function portfolioCommands(portfolio: PortfolioDesk): EngineHandlers<'portfolio'> {
  return {
    'portfolio.import': (p) => portfolio.importCsv(p.csv, p.fileName, p.replace),
    'portfolio.removeImported': (p) => ({ removed: portfolio.removeImported(p.id) }),
    'portfolio.accounts': (p) => {
      portfolio.setHyperliquidAddresses(p.hyperliquidAddresses);
      return { ok: true };
    },
    'portfolio.whatIf.add': (p) => portfolio.addWhatIf(whatIfDef(p)),
    'portfolio.whatIf.remove': (p) => {
      portfolio.removeWhatIf(p.id);
      return { ok: true };
    },
    'portfolio.ladder': (p) => {
      portfolio.setLadder(p);
      return { ok: true };
    },
    // Answered once the choice is on disk: "done" means it survives a restart.
    'portfolio.numeraire': async (p) => {
      await portfolio.setNumeraire(p.numeraire);
      return { ok: true };
    },
    'portfolio.ladderInputs': (p) => {
      const inputs = portfolio.ladderInputs(p.underlying, p.computedAt);
      if (!inputs) throw new Error('that ladder is no longer kept (only the last few seconds are)');
      return inputs;
    },
  };
}

/** A what-if as a position: options get a Deribit-style name so a listed one prices off its own quote. */
export function whatIfDef(w: CommandRequest<'portfolio.whatIf.add'>): NewPosition {
  if (w.type !== 'option') return { type: w.type, underlying: w.underlying, instrument: `${w.underlying}-${w.type.toUpperCase()}`, quantity: w.quantity, entryPrice: NaN };
  return {
    type: 'option',
    underlying: w.underlying,
    instrument: optionName(w.underlying, w.expiry, w.strike, w.kind),
    quantity: w.quantity,
    kind: w.kind,
    strike: w.strike,
    expiry: w.expiry,
    settlement: 'inverse',
    entryPremium: NaN,
  };
}
