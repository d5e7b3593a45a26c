import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setTerminalApi } from '../../../renderer/src/bridge/terminal.ts';
import { TopUpPanel } from '../../../renderer/src/features/alerts/TopUpPanel.tsx';
import type { PortfolioSnapshot } from '../../../shared/domain/portfolio.ts';
import type { TopUpRule } from '../../../shared/domain/top-up.ts';

/*
 * Quick edits to a top-up rule over a slow link: target, trigger, then the mode, each before the
 * engine has answered the one before. Every edit must land; none may start from the rule the row
 * showed before the others (the last would then undo the first two, arming dry-run on the default
 * trigger — seen under load).
 */
const ID = 'hyperliquid:0x00000000000000000000000000000000000000aa:ETH-PERP';
const snapshot = { positions: [{ def: { id: ID, source: 'hyperliquid', type: 'perp', instrument: 'ETH-PERP', quantity: 2, perp: { leverage: { type: 'isolated' } } }, liquidation: { distancePct: -0.172 } }], accounts: [] } as unknown as PortfolioSnapshot;

afterEach(() => setTerminalApi(null));

describe('the top-up row', () => {
  it('quick edits build on each other, whatever order the answers come in', async () => {
    const held = new Map<string, TopUpRule>();
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    setTerminalApi({
      request: (async (name: string, payload: unknown) => {
        if (name === 'alerts.topUps') return { ok: true, value: [...held.values()].map((rule) => ({ rule, current: 17.2, state: rule.mode === 'off' ? 'off' : 'watching', reason: null, last: null, spent24hUsd: 0 })) };
        if (name === 'alerts.topUp') {
          await wait(60);
          const rule = payload as TopUpRule;
          held.set(rule.position, rule);
          return { ok: true, value: { rule, current: 17.2, state: 'watching', reason: null, last: null, spent24hUsd: 0 } };
        }
        return { ok: false, error: { code: 'unknown', message: name } };
      }) as never,
      onStream: () => () => undefined,
    });
    render(<TopUpPanel snapshot={snapshot} />);
    const target = screen.getByRole('textbox', { name: 'Top-up target %' });
    fireEvent.change(target, { target: { value: '40' } });
    fireEvent.blur(target);
    const trigger = screen.getByRole('textbox', { name: 'Top-up trigger %' });
    fireEvent.change(trigger, { target: { value: '30' } });
    fireEvent.blur(trigger);
    fireEvent.click(screen.getByRole('radio', { name: 'dry-run' }));
    await expect.poll(() => held.get(ID)?.mode, { timeout: 2_000 }).toBe('dry-run');
    expect(held.get(ID)).toMatchObject({ mode: 'dry-run', trigger: 30, target: 40 });
  });
});
