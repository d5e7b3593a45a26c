import { useDivestStore } from '../stores/divest-store.ts';
import { useHedgeStore } from '../stores/hedge-store.ts';
import { usePortfolioStore } from '../stores/portfolio-store.ts';
import { shownUnderlying } from '../features/portfolio/ladder-model.ts';
import { TIMEFRAMES } from '../../../shared/domain/market.ts';
import { OPTION_UNDERLYINGS } from '../../../shared/domain/options.ts';
import { atmStrike, expiriesOf, expiryForward, otherKind, shownExpiry, stepStrike, strikeRows } from '../features/chain/chain-model.ts';
import { useMarketStore } from '../stores/market-store.ts';
import { useOptionsStore } from '../stores/options-store.ts';
import { useViewStore, type Workspace } from '../stores/view-store.ts';
import { eventKey, KEY_ACTIONS, type KeyActionId } from '../../../shared/keymap/keymap.ts';
import { useKeymapStore } from './keymap-store.ts';
import { handlePortfolioKey } from '../features/portfolio/portfolio-keys.ts';
import { useVaultStore } from '../stores/vault-store.ts';
import { useOrdersStore } from '../stores/orders-store.ts';
import { useTicketStore } from '../stores/ticket-store.ts';
import { useAlertsStore } from '../stores/alerts-store.ts';

/**
 * Keyboard dispatch: the key is looked up in the trader's keymap (shared/keymap, keymap.json) for
 * the global scope, then the workspace's. Nothing here trades.
 */
export function keymapFor(workspace: Workspace): { keys: string; action: string }[] {
  const { resolved } = useKeymapStore.getState();
  const hint = (a: (typeof KEY_ACTIONS)[number]) => ({ keys: (resolved.keysOf.get(a.id) ?? []).map(shownKey).join(' '), action: a.label });
  const global = KEY_ACTIONS.filter((a) => a.scope === 'global').map(hint);
  const scoped = KEY_ACTIONS.filter((a) => a.scope === workspace || (a.scope === 'orders' && ORDER_SCREENS.has(workspace))).map(hint);
  // The digits that pick an instrument are fixed, not in the keymap.
  return [...global, ...(workspace === 'market' ? [{ keys: '1–9', action: 'select instrument' }] : []), ...scoped];
}

const ARROWS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc' };
export function shownKey(k: string): string {
  return ARROWS[k] ?? k.replace('Shift+', '⇧');
}

/** The screens that show the orders panel, where its keys work. */
const ORDER_SCREENS: ReadonlySet<Workspace> = new Set(['market', 'portfolio']);

/** B / S: the ticket's side, and the cursor in its size field (the order is still reviewed and confirmed there). */
function focusTicket(side: 'buy' | 'sell', region: string, field: string): boolean {
  useTicketStore.getState().set({ side });
  const input = document.querySelector<HTMLInputElement>(`[aria-label="${region}"] input[aria-label="${field}"]`);
  input?.focus();
  input?.select();
  return input !== null;
}

function handleOrdersKey(action: KeyActionId): boolean {
  const orders = useOrdersStore.getState();
  switch (action) {
    case 'orders.next':
      orders.step(1);
      return true;
    case 'orders.previous':
      orders.step(-1);
      return true;
    case 'orders.cancelSelected':
      if (orders.selected) void orders.cancel(orders.selected);
      return true;
    case 'orders.cancelAll':
      void orders.cancelAll();
      return true;
    default:
      return false;
  }
}

/** The underlying the screen shows: the perp selected, the options underlying, the portfolio's tab. */
export function underlyingInView(): string | null {
  const view = useViewStore.getState();
  if (view.workspace === 'options') return view.optionUnderlying;
  if (view.workspace === 'portfolio') return shownUnderlying(usePortfolioStore.getState().snapshot, view.portfolioUnderlying);
  const inst = useMarketStore.getState().instruments.find((i) => i.id === view.selectedId) ?? useMarketStore.getState().instruments[0];
  return inst?.base ?? null;
}

export function handleKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'> & { shiftKey?: boolean }): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const target = e.target as HTMLElement | null;
  if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return false;
  const view = useViewStore.getState();
  const { byScope } = useKeymapStore.getState().resolved;
  const key = eventKey({ key: e.key, shiftKey: e.shiftKey ?? false });
  const action = byScope.global.get(key) ?? byScope[view.workspace].get(key) ?? (ORDER_SCREENS.has(view.workspace) ? byScope.orders.get(key) : undefined);
  if (action?.startsWith('orders.')) return handleOrdersKey(action);
  if (action?.startsWith('workspace.')) {
    view.setWorkspace(action.slice('workspace.'.length) as Workspace);
    return true;
  }
  if (action === 'vault.lockNow') {
    void useVaultStore.getState().lock();
    return true;
  }
  if (action === 'divest.open') {
    void useDivestStore.getState().show('all');
    return true;
  }
  if (action === 'hedge.cancel') {
    if (useDivestStore.getState().open) {
      useDivestStore.getState().close();
      return true;
    }
    if (useHedgeStore.getState().phase === 'idle') {
      // Esc also closes the alerts panel when no hedge is waiting.
      if (!useAlertsStore.getState().drawerOpen) return false;
      useAlertsStore.getState().toggleDrawer(false);
      return true;
    }
    useHedgeStore.getState().dismiss();
    return true;
  }
  if (action === 'alerts.toggle') {
    useAlertsStore.getState().toggleDrawer();
    return true;
  }
  if (action === 'alerts.acknowledge') return useAlertsStore.getState().acknowledgeWorst();
  if (action === 'hedge.full' || action === 'hedge.half') {
    const underlying = underlyingInView();
    if (!underlying) return false;
    void useHedgeStore.getState().press(underlying, action === 'hedge.full' ? 1 : 0.5);
    return true;
  }
  if (view.workspace === 'vault' || view.workspace === 'journal') return false;
  if (view.workspace === 'options') return action ? handleOptionsKey(action) : false;
  if (view.workspace === 'portfolio') return action ? handlePortfolioKey(action) : false;
  const instruments = useMarketStore.getState().instruments;
  const index = instruments.findIndex((i) => i.id === view.selectedId);
  if (/^[1-9]$/.test(e.key)) {
    const inst = instruments[Number(e.key) - 1];
    if (inst) view.select(inst.id);
    return Boolean(inst);
  }
  switch (action) {
    case 'market.previousInstrument':
    case 'market.nextInstrument': {
      if (!instruments.length) return false;
      const next = (index + (action === 'market.nextInstrument' ? 1 : -1) + instruments.length) % instruments.length;
      view.select(instruments[next]!.id);
      return true;
    }
    case 'market.nextTimeframe':
      view.setTimeframe(TIMEFRAMES[(TIMEFRAMES.indexOf(view.timeframe) + 1) % TIMEFRAMES.length]!);
      return true;
    case 'market.coarserGrouping':
      view.stepGrouping(1);
      return true;
    case 'market.finerGrouping':
      view.stepGrouping(-1);
      return true;
    case 'market.toggleUnit':
      view.toggleSizeUnit();
      return true;
    case 'market.ticketBuy':
    case 'market.ticketSell':
      return focusTicket(action === 'market.ticketBuy' ? 'buy' : 'sell', 'Order ticket', 'Size');
    default:
      return false;
  }
}

function handleOptionsKey(action: KeyActionId): boolean {
  const view = useViewStore.getState();
  const { contracts, values } = useOptionsStore.getState();
  const u = view.optionUnderlying;
  const expiries = expiriesOf(contracts, u);
  const expiry = shownExpiry(expiries, view.optionExpiry);
  switch (action) {
    case 'options.previousExpiry':
    case 'options.nextExpiry': {
      if (expiry === null) return false;
      const i = expiries.indexOf(expiry) + (action === 'options.nextExpiry' ? 1 : -1);
      view.setOptionExpiry(expiries[Math.max(0, Math.min(expiries.length - 1, i))]!);
      return true;
    }
    case 'options.strikeUp':
    case 'options.strikeDown': {
      if (expiry === null) return false;
      const rows = strikeRows(contracts, u, expiry);
      view.setCursor(stepStrike(rows, view.cursorStrike, atmStrike(rows, expiryForward(rows, values)), action === 'options.strikeUp' ? 1 : -1));
      return true;
    }
    case 'options.ticketBuy':
    case 'options.ticketSell':
      return focusTicket(action === 'options.ticketBuy' ? 'buy' : 'sell', 'Option order ticket', 'Contracts');
    case 'options.toggleSide':
      view.setCursor(view.cursorStrike, otherKind(view.cursorKind));
      return true;
    case 'options.previousUnderlying':
    case 'options.nextUnderlying': {
      const i = OPTION_UNDERLYINGS.indexOf(u) + (action === 'options.nextUnderlying' ? 1 : -1);
      view.setOptionUnderlying(OPTION_UNDERLYINGS[(i + OPTION_UNDERLYINGS.length) % OPTION_UNDERLYINGS.length]!);
      return true;
    }
    case 'options.toggleUnit':
      view.togglePremiumUnit();
      return true;
    case 'options.toggleVenues':
      view.toggleChainView();
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
