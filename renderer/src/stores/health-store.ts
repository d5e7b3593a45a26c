import { create } from 'zustand';
import type { CommandResponse } from '../../../shared/contract/commands.ts';
import { call } from '../bridge/terminal.ts';

export type EngineHealth = CommandResponse<'app.health'>['engine'];

/**
 * The engine as the host sees it, asked every second. While the engine restarts its last frame
 * stays on screen; this is what tells the trader those figures are frozen, and why.
 */
export type Networks = CommandResponse<'app.health'>['networks'];

export const useHealthStore = create<{ engine: EngineHealth | null; networks: Networks | null; hostReachable: boolean }>(() => ({ engine: null, networks: null, hostReachable: true }));

export function startHealthPolling(): () => void {
  const poll = async (): Promise<void> => {
    try {
      const { engine, networks } = await call('app.health', {});
      useHealthStore.setState({ engine, networks, hostReachable: true });
    } catch {
      useHealthStore.setState({ hostReachable: false });
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), 1000);
  return () => clearInterval(timer);
}

/** True while what the venues' badges say cannot be current. */
export function engineDown(h: { engine: EngineHealth | null; hostReachable: boolean }): boolean {
  return !h.hostReachable || h.engine?.state === 'restarting';
}
