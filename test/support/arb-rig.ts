import { expect } from 'vitest';
import type { Engine } from '../../electron/engine/engine.ts';
import type { OptionContract } from '../../shared/domain/options.ts';
import { edgeTarget } from './edge-target.ts';
import { startTradingRig, until, type TradingRig } from './trading-rig.ts';

/*
 * Both option venues trading through one engine (the combination trades' tests): Deribit and
 * Derive simulators, the vault signing, and the ATM call two days out or more that both venues
 * quote, misquoted 25 vol points rich on Derive so that findings appear around it.
 */
export interface ArbRig {
  rig: TradingRig;
  engine: Engine;
  /** The contract misquoted on Derive. */
  target: OptionContract;
}

export async function startArbRig(seed: number, prefix: string): Promise<ArbRig> {
  const rig = await startTradingRig(seed, prefix, { derive: true });
  const engine = rig.makeEngine({ refitIntervalMs: 200, executor: { statusDelayMs: 60, statusAttempts: 20 } });
  void engine.start();
  const board = engine.options.board;
  await until('both venues trading and quoted', () => ['deribit', 'derive'].every((v) => engine.orders.gate(v as 'derive')?.ready) && engine.orders.accountOf('derive') !== null && edgeTarget(board) !== undefined, 20_000);
  const target = edgeTarget(board)!;
  await deriveFault(rig, { fault: 'misquote', instrument: target.peer!.name, volPoints: 25 });
  return { rig, engine, target };
}

/** A fault or a misquote for the Derive simulator (its control endpoint). */
export async function deriveFault(rig: TradingRig, command: Record<string, unknown>): Promise<void> {
  const res = await fetch(rig.deriveUrls!.controlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sim-control': 'rig' }, body: JSON.stringify(command) });
  expect(res.ok, await res.text()).toBe(true);
}

/** An engine command's value, or its refusal thrown with the engine's words. */
export const asker =
  (engine: Engine) =>
  async <T>(name: string, payload: unknown): Promise<T> => {
    const r = await engine.request(name, payload);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  };
