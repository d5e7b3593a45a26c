import type { LoopDelayMonitor } from '../../../shared/perf/loop-delay.ts';
import type { EngineHandlers } from './handlers.ts';

/** engine.*: how late the engine's own event loop runs (every venue frame and command waits that long). */
export function healthCommands(loop: LoopDelayMonitor): EngineHandlers<'engine'> {
  return {
    'engine.health': ({ reset }) => {
      const stats = loop.stats();
      if (reset) loop.reset();
      return { loop: stats };
    },
  };
}
