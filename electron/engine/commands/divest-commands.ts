import type { DivestDesk } from '../divest/divest-desk.ts';
import type { ProtectiveStops } from '../orders/protective-stops.ts';
import type { EngineHandlers } from './handlers.ts';

/** divest.*: the kill switch's plan by id, its execution by id and typed word, its run. */
export function divestCommands(divest: DivestDesk, stops: ProtectiveStops | null): EngineHandlers<'divest'> {
  return {
    'divest.plan': (p) => divest.plan(p.scope, p.withdraw),
    'divest.execute': (p) => divest.execute(p.id, p.confirm),
    'divest.stop': () => divest.stop(),
    'divest.arm': (p) => divest.arm(p.venue, p.armed),
    'divest.status': () => divest.snapshot(),
    'divest.protect': (p) => {
      if (!stops) throw new Error('Hyperliquid cannot trade in this configuration');
      return stops.set(p.coin, p.triggerPx);
    },
  };
}
