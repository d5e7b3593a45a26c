import { toggleNumeraire } from './NumeraireSwitch.tsx';
import type { KeyActionId } from '../../../../shared/keymap/keymap.ts';
import { call } from '../../bridge/terminal.ts';
import { usePortfolioStore } from '../../stores/portfolio-store.ts';
import { useViewStore } from '../../stores/view-store.ts';
import { shownUnderlying, stepAfter, withSpec } from './ladder-model.ts';
import type { LadderSpec } from '../../../../shared/domain/portfolio.ts';

/**
 * The layout last sent per underlying. Keys pressed faster than the engine answers build on it, so
 * two quick presses of V give +2 vol points, not +1 twice.
 */
const sent = new Map<string, LadderSpec>();

/** Sends a ladder layout change; the engine saves it and the next ladder shows it. */
export function setLadderSpec(spec: LadderSpec): void {
  sent.set(spec.underlying, spec);
  void call('portfolio.ladder', spec).catch(() => sent.delete(spec.underlying));
}

/** The layout to change next: what was last sent, else what the engine shows. */
export function currentSpec(shown: LadderSpec | undefined): LadderSpec | undefined {
  return shown ? (sent.get(shown.underlying) ?? shown) : undefined;
}

export function handlePortfolioKey(action: KeyActionId): boolean {
  const view = useViewStore.getState();
  const { snapshot, ladders } = usePortfolioStore.getState();
  const held = snapshot?.totals.map((t) => t.underlying) ?? [];
  const u = shownUnderlying(snapshot, view.portfolioUnderlying);
  const spec = currentSpec(u ? ladders[u]?.spec : undefined);
  const change = (c: Parameters<typeof withSpec>[1]): boolean => {
    if (!spec) return false;
    setLadderSpec(withSpec(spec, c));
    return true;
  };
  switch (action) {
    case 'portfolio.previousUnderlying':
    case 'portfolio.nextUnderlying': {
      if (!held.length || !u) return false;
      const i = held.indexOf(u) + (action === 'portfolio.nextUnderlying' ? 1 : -1);
      view.setPortfolioUnderlying(held[(i + held.length) % held.length]!);
      return true;
    }
    case 'portfolio.rowUp':
      view.moveLadderCursor(1);
      return true;
    case 'portfolio.rowDown':
      view.moveLadderCursor(-1);
      return true;
    case 'portfolio.centre':
      view.moveLadderCursor(null);
      return true;
    case 'portfolio.volUp':
      return change({ volShift: (spec?.volShift ?? 0) + 1 });
    case 'portfolio.volDown':
      return change({ volShift: (spec?.volShift ?? 0) - 1 });
    case 'portfolio.daysForward':
      return change({ days: (spec?.days ?? 0) + 1 });
    case 'portfolio.daysBack':
      return change({ days: (spec?.days ?? 0) - 1 });
    case 'portfolio.resetShifts':
      return change({ volShift: 0, days: 0 });
    case 'portfolio.coarserStep':
      return change({ step: stepAfter(spec?.step ?? 1, 1) });
    case 'portfolio.finerStep':
      return change({ step: stepAfter(spec?.step ?? 1, -1) });
    case 'portfolio.toggleWhatIf':
      return change({ includeWhatIf: !spec?.includeWhatIf });
    case 'portfolio.toggleUnit':
      toggleNumeraire();
      return true;
    default:
      return false;
  }
}
