import { TIMEFRAMES } from '../../../shared/domain/market.ts';
import { OPTION_UNDERLYINGS } from '../../../shared/domain/options.ts';
import { atmStrike, expiriesOf, expiryForward, otherKind, shownExpiry, stepStrike, strikeRows } from '../features/chain/chain-model.ts';
import { useMarketStore } from '../stores/market-store.ts';
import { useOptionsStore } from '../stores/options-store.ts';
import { useViewStore, type Workspace } from '../stores/view-store.ts';

/** View-only shortcuts. Nothing here trades; trading keys will be armed and previewed in main. */
export const OPTIONS_KEYMAP: { keys: string; action: string }[] = [
  { keys: 'M O', action: 'perps / options' },
  { keys: '← →', action: 'expiry' },
  { keys: '↑ ↓', action: 'strike' },
  { keys: 'X', action: 'call / put' },
  { keys: '[ ]', action: 'BTC / ETH' },
  { keys: 'U', action: 'premium in coin / USD' },
];

export function keymapFor(workspace: Workspace): { keys: string; action: string }[] {
  return workspace === 'options' ? OPTIONS_KEYMAP : KEYMAP;
}

export const KEYMAP: { keys: string; action: string }[] = [
  { keys: 'M O', action: 'perps / options' },
  { keys: '1–9', action: 'select instrument' },
  { keys: '[ ]', action: 'previous / next instrument' },
  { keys: 'T', action: 'next timeframe' },
  { keys: '− =', action: 'finer / coarser book grouping' },
  { keys: 'U', action: 'size in coin / USD' },
];

export function handleKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const target = e.target as HTMLElement | null;
  if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return false;
  const view = useViewStore.getState();
  if (e.key === 'o' || e.key === 'O' || e.key === 'm' || e.key === 'M') {
    view.setWorkspace(e.key.toLowerCase() === 'o' ? 'options' : 'market');
    return true;
  }
  if (view.workspace === 'options') return handleOptionsKey(e.key);
  const instruments = useMarketStore.getState().instruments;
  const index = instruments.findIndex((i) => i.id === view.selectedId);
  if (/^[1-9]$/.test(e.key)) {
    const inst = instruments[Number(e.key) - 1];
    if (inst) view.select(inst.id);
    return Boolean(inst);
  }
  switch (e.key) {
    case '[':
    case ']': {
      if (!instruments.length) return false;
      const next = (index + (e.key === ']' ? 1 : -1) + instruments.length) % instruments.length;
      view.select(instruments[next]!.id);
      return true;
    }
    case 't':
    case 'T':
      view.setTimeframe(TIMEFRAMES[(TIMEFRAMES.indexOf(view.timeframe) + 1) % TIMEFRAMES.length]!);
      return true;
    case '=':
    case '+':
      view.stepGrouping(1);
      return true;
    case '-':
      view.stepGrouping(-1);
      return true;
    case 'u':
    case 'U':
      view.toggleSizeUnit();
      return true;
    default:
      return false;
  }
}

function handleOptionsKey(key: string): boolean {
  const view = useViewStore.getState();
  const { contracts, values } = useOptionsStore.getState();
  const u = view.optionUnderlying;
  const expiries = expiriesOf(contracts, u);
  const expiry = shownExpiry(expiries, view.optionExpiry);
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowRight': {
      if (expiry === null) return false;
      const i = expiries.indexOf(expiry) + (key === 'ArrowRight' ? 1 : -1);
      view.setOptionExpiry(expiries[Math.max(0, Math.min(expiries.length - 1, i))]!);
      return true;
    }
    case 'ArrowUp':
    case 'ArrowDown': {
      if (expiry === null) return false;
      const rows = strikeRows(contracts, u, expiry);
      view.setCursor(stepStrike(rows, view.cursorStrike, atmStrike(rows, expiryForward(rows, values)), key === 'ArrowDown' ? 1 : -1));
      return true;
    }
    case 'x':
    case 'X':
      view.setCursor(view.cursorStrike, otherKind(view.cursorKind));
      return true;
    case '[':
    case ']': {
      const i = OPTION_UNDERLYINGS.indexOf(u) + (key === ']' ? 1 : -1);
      view.setOptionUnderlying(OPTION_UNDERLYINGS[(i + OPTION_UNDERLYINGS.length) % OPTION_UNDERLYINGS.length]!);
      return true;
    }
    case 'u':
    case 'U':
      view.togglePremiumUnit();
      return true;
    default:
      return false;
  }
}

export function installHotkeys(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (handleKey(e)) e.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
