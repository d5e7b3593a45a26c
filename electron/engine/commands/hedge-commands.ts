import type { AutoHedger } from '../hedge/auto-hedger.ts';
import type { HedgeDesk } from '../hedge/hedge-desk.ts';
import type { EngineHandlers } from './handlers.ts';

/** hedge.*: previews and confirms by id, and the targets per underlying. */
export function hedgeCommands(hedge: HedgeDesk, auto: AutoHedger, underlyings: () => string[]): EngineHandlers<'hedge'> {
  return {
    'hedge.preview': (p) => hedge.preview(p.underlying, p.fraction),
    'hedge.confirm': (p) => hedge.confirm(p.id),
    'hedge.target': (p) => hedge.setTarget(p),
    'hedge.targets': () => underlyings().map((u) => hedge.target(u)),
    'hedge.auto.set': (c) => auto.configure(c),
    'hedge.auto.status': () => auto.statuses(),
  };
}
