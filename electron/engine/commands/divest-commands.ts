import type { DivestDesk } from '../divest/divest-desk.ts';
import type { EngineHandlers } from './handlers.ts';

/** divest.*: the kill switch's plan by id, its execution by id and typed word, its run. */
export function divestCommands(divest: DivestDesk): EngineHandlers<'divest'> {
  return {
    'divest.plan': (p) => divest.plan(p.scope, p.withdraw),
    'divest.execute': (p) => divest.execute(p.id, p.confirm),
    'divest.stop': () => divest.stop(),
    'divest.arm': (p) => divest.arm(p.venue, p.armed),
    'divest.status': () => divest.snapshot(),
  };
}
