import { useEffect, useRef, useState } from 'react';
import type { PortfolioSnapshot } from '../../../../shared/domain/portfolio.ts';
import { DEFAULT_TOP_UP, TOP_UP_MODES, topUpRuleProblem, type TopUpRule, type TopUpStatus } from '../../../../shared/domain/top-up.ts';
import { formatFixed, formatUsd } from '../../../../shared/format/numbers.ts';
import { call } from '../../bridge/terminal.ts';
import { shortAddress } from '../../../../shared/format/address.ts';

const MODE_TITLES: Record<TopUpRule['mode'], string> = { off: 'Does nothing', 'dry-run': 'Decides and journals, moves nothing', live: 'Adds margin within the limits below and the vault’s daily collateral budget' };

/** What the engine says now about every top-up rule, asked once a second. */
function useTopUps(): { statuses: TopUpStatus[]; refresh: () => void } {
  const [statuses, setStatuses] = useState<TopUpStatus[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stop = false;
    const read = (): void => void call('alerts.topUps', {}).then((s) => !stop && setStatuses(s), () => undefined);
    read();
    const t = setInterval(read, 1_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [tick]);
  return { statuses, refresh: () => setTick((t) => t + 1) };
}

/** What a row protects: a Hyperliquid isolated position or an Aave account. */
interface Protected {
  id: string;
  name: string;
  /** The figure the rule watches now, in words. */
  now: string;
  /** The rule's unit in its field labels. */
  unit: '%' | 'HF';
  defaults: Omit<TopUpRule, 'position'>;
}

/** Aave's defaults: top up under health factor 1.3, back to 1.5, WETH from the wallet. */
const AAVE_DEFAULTS: Omit<TopUpRule, 'position'> = { ...DEFAULT_TOP_UP, trigger: 1.3, target: 1.5, source: 'WETH', gasCapGwei: 50 };

function TopUpRow({ item, status, refresh }: { item: Protected; status: TopUpStatus | undefined; refresh: () => void }) {
  // What this row last set, until the engine's status (polled) says the same: two quick edits
  // build on each other, not on a status a second old.
  const [sent, setSent] = useState<TopUpRule | null>(null);
  const polled = status?.rule ?? null;
  useEffect(() => {
    if (sent && polled && JSON.stringify(sent) === JSON.stringify(polled)) setSent(null);
  }, [sent, polled]);
  const rule: TopUpRule = sent ?? polled ?? { ...item.defaults, position: item.id };
  const [error, setError] = useState<string | null>(null);
  // Edits go one at a time, each onto the rule the engine holds when it is sent (read just before),
  // not onto what this row last rendered: quick edits (a field, then the mode) under a slow link
  // would otherwise each start from the same old rule and the last one would undo the others.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const apply = (change: Partial<TopUpRule>): void => {
    queue.current = queue.current.then(async () => {
      try {
        const held = (await call('alerts.topUps', {})).find((x) => x.rule.position === item.id)?.rule;
        const next = { ...(held ?? rule), ...change };
        // Judged on the rule it joins: a trigger above the old target is fine once the new target is in.
        const problem = topUpRuleProblem(next);
        if (problem) return setError(problem);
        const answer = await call('alerts.topUp', next);
        setSent(answer.rule);
        setError(null);
        refresh();
      } catch (e) {
        setError((e as Error).message);
      }
    });
  };
  const field = (label: string, key: 'trigger' | 'target' | 'maxUsd', title: string) => (
    <label className="control" title={title}>
      {label}
      <input aria-label={`Top-up ${label}`} key={`${key}-${rule[key]}`} defaultValue={rule[key]} size={5} onBlur={(e) => Number(e.target.value) !== rule[key] && apply({ [key]: Number(e.target.value) })} />
    </label>
  );
  return (
    <div className={`top-up-row${rule.mode === 'live' ? ' live' : ''}`} data-position={item.id}>
      <div className="tool-row">
        <strong>{item.name}</strong>
        <span className="muted">{item.now}</span>
        <span className={`auto-state s-${status?.state ?? 'off'}`} title={status?.reason ?? undefined}>
          {status?.state ?? 'off'}
        </span>
      </div>
      <div className="segmented" role="radiogroup" aria-label={`Top-up mode ${item.name}`}>
        {TOP_UP_MODES.map((m) => (
          <button key={m} role="radio" aria-checked={rule.mode === m} className={`toggle${rule.mode === m ? ' active' : ''}${m === 'live' ? ' live' : ''}`} onClick={() => apply({ mode: m })} title={MODE_TITLES[m]}>
            {m}
          </button>
        ))}
      </div>
      <div className="tool-row">
        {item.unit === '%' ? field('trigger %', 'trigger', 'Top up when liquidation is this close, % of the mark') : field('trigger HF', 'trigger', 'Top up when the health factor falls under this')}
        {item.unit === '%' ? field('target %', 'target', 'Add margin until liquidation is this far, % of the mark') : field('target HF', 'target', 'Supply collateral until the health factor is back at this')}
        {field('max $', 'maxUsd', 'Largest single top-up, USD (the vault’s daily collateral budget applies too)')}
      </div>
      {status?.last ? (
        <p className={status.last.what === 'failed' || status.last.what === 'short' ? 'warn' : 'muted'} title={new Date(status.last.at).toISOString()}>
          {status.last.what}: {status.last.detail}
        </p>
      ) : null}
      {status?.reason && status.state === 'paused' ? <p className="warn">{status.reason}</p> : null}
      {status?.spent24hUsd ? <p className="muted">moved in 24 h: {formatUsd(status.spent24hUsd)}</p> : null}
      {error ? <p className="form-error">{error}</p> : null}
    </div>
  );
}

/** Collateral top-ups for the isolated Hyperliquid positions and the Aave accounts on screen. */
export function TopUpPanel({ snapshot }: { snapshot: PortfolioSnapshot }) {
  const { statuses, refresh } = useTopUps();
  const items: Protected[] = [
    ...snapshot.positions
      .filter((p) => p.def.source === 'hyperliquid' && p.def.type === 'perp' && p.def.perp?.leverage.type === 'isolated' && p.def.quantity !== 0)
      .map((p): Protected => {
        const d = p.liquidation?.distancePct;
        return { id: p.def.id, name: p.def.instrument, now: `isolated · liq ${d === null || d === undefined ? '–' : `${formatFixed(Math.abs(d) * 100, 1)} % away`}`, unit: '%', defaults: DEFAULT_TOP_UP };
      }),
    ...snapshot.accounts
      .filter((a) => a.source === 'aave')
      .map((a): Protected => ({ id: `aave:${a.account}`, name: `Aave ${shortAddress(a.account)}`, now: `health factor ${a.healthFactor === null || a.healthFactor === undefined ? '∞ (no debt)' : formatFixed(a.healthFactor, 3)} · WETH from the wallet`, unit: 'HF', defaults: AAVE_DEFAULTS })),
  ];
  return (
    <div className="tool top-ups" aria-label="Collateral top-ups">
      <h3>Collateral top-ups</h3>
      {items.length ? (
        items.map((item) => <TopUpRow key={item.id} item={item} status={statuses.find((s) => s.rule.position === item.id)} refresh={refresh} />)
      ) : (
        <p className="muted">No isolated Hyperliquid position and no Aave account: cross positions share the account’s margin.</p>
      )}
    </div>
  );
}
