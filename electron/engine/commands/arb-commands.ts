import type { ArbDesk } from '../options/arb-desk.ts';
import type { EngineHandlers } from './handlers.ts';

/** arb.*: a mispricing previewed as one combination, sent by id, and its open leg unwound. */
export function arbCommands(arb: ArbDesk): EngineHandlers<'arb'> {
  return {
    'arb.preview': (p) => arb.preview(p.key, p.size, p.maxNotionalUsd),
    'arb.send': (p) => arb.send(p.id),
    'arb.unwind': (p) => arb.unwind(p.id),
  };
}
