import { TIMEFRAMES } from '../../../shared/domain/market.ts';
import { useMarketStore } from '../stores/market-store.ts';
import { useViewStore } from '../stores/view-store.ts';

/** View-only shortcuts. Nothing here trades; trading keys will be armed and previewed in main. */
export const KEYMAP: { keys: string; action: string }[] = [
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

export function installHotkeys(): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (handleKey(e)) e.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
