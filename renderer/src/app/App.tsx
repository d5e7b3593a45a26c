import { useKeyHint } from '../hotkeys/key-hint.ts';
import { HedgeOverlay } from '../features/hedge/HedgeOverlay.tsx';
import { ArbOverlay } from '../features/chain/ArbOverlay.tsx';
import { DivestChip, KillSwitchOverlay } from '../features/divest/KillSwitchOverlay.tsx';
import { useDivestStore } from '../stores/divest-store.ts';
import { useEffect, useState } from 'react';
import type { CommandResponse } from '../../../shared/contract/commands.ts';
import { call, terminalApi } from '../bridge/terminal.ts';
import { CandleChart } from '../features/chart/CandleChart.tsx';
import { InstrumentTabs } from '../features/instruments/InstrumentTabs.tsx';
import { OrderBook } from '../features/orderbook/OrderBook.tsx';
import { TradeTape } from '../features/trades/TradeTape.tsx';
import { VenueBadges } from '../features/venues/VenueBadges.tsx';
import { EngineBanner } from '../features/venues/EngineBanner.tsx';
import { LiveBanner } from '../features/venues/LiveBanner.tsx';
import { startFrameLoop } from '../frame-loop/frame-loop.ts';
import { installHotkeys, keymapFor } from '../hotkeys/keymap.ts';
import { OptionsWorkspace } from '../features/chain/OptionsWorkspace.tsx';
import { PortfolioWorkspace } from '../features/portfolio/PortfolioWorkspace.tsx';
import { LockChip, UnlockDialog } from '../features/vault/LockChip.tsx';
import { VaultWorkspace } from '../features/vault/VaultWorkspace.tsx';
import { startVaultPolling } from '../stores/vault-store.ts';
import { startHealthPolling, useHealthStore } from '../stores/health-store.ts';
import { useKeymapStore } from '../hotkeys/keymap-store.ts';
import { usePortfolioStore } from '../stores/portfolio-store.ts';
import { useOptionsStore } from '../stores/options-store.ts';
import { useMarketStore } from '../stores/market-store.ts';
import { useOrdersStore } from '../stores/orders-store.ts';
import { OrdersPanel } from '../features/orders/OrdersPanel.tsx';
import { OrderTicket } from '../features/ticket/OrderTicket.tsx';
import { JournalWorkspace } from '../features/journal/JournalWorkspace.tsx';
import { useViewStore, type Workspace } from '../stores/view-store.ts';
import { useAlertsStore } from '../stores/alerts-store.ts';
import { AlertsBadge } from '../features/alerts/AlertsBadge.tsx';
import { AlertsDrawer } from '../features/alerts/AlertsDrawer.tsx';
import { AlertToasts } from '../features/alerts/AlertToasts.tsx';
import { CriticalBanner } from '../features/alerts/CriticalBanner.tsx';

const WORKSPACE_TABS: { id: Workspace; label: string; title: string }[] = [
  { id: 'market', label: 'Perps', title: 'Perpetuals: book, chart, trades' },
  { id: 'options', label: 'Options', title: 'Options chain, smile and mispricings' },
  { id: 'portfolio', label: 'Portfolio', title: 'Positions, Greeks ladder and payoff' },
  { id: 'vault', label: 'Vault', title: 'Keys, agents, Ledger and the hot-key budget' },
  { id: 'journal', label: 'Journal', title: 'Orders, fills and positions as journaled; CSV export' },
];

export function App() {
  const workspaceKeys = { market: useKeyHint('workspace.market'), options: useKeyHint('workspace.options'), portfolio: useKeyHint('workspace.portfolio'), vault: useKeyHint('workspace.vault'), journal: useKeyHint('workspace.journal') };
  const workspaceKey = (w: Workspace): string => workspaceKeys[w];
  const [info, setInfo] = useState<CommandResponse<'app.info'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const instruments = useMarketStore((s) => s.instruments);
  const streamErrors = useMarketStore((s) => s.streamErrors);
  const lastStreamError = useMarketStore((s) => s.lastStreamError);
  const selectedId = useViewStore((s) => s.selectedId);
  const workspace = useViewStore((s) => s.workspace);
  const setWorkspace = useViewStore((s) => s.setWorkspace);
  const announcedChain = useOptionsStore((s) => s.announcedVersion);
  const loadedChain = useOptionsStore((s) => s.chainVersion);
  const selected = instruments.find((i) => i.id === selectedId) ?? instruments[0];
  const networks = useHealthStore((s) => s.networks);
  // The badge follows the current networks (a switch restarts the engine, not the page).
  const allPaper = networks ? networks.hyperliquid === 'paper' && networks.deribit === 'paper' : info?.mode === 'paper';

  useEffect(() => startFrameLoop(terminalApi(), useMarketStore.getState, useOptionsStore.getState, usePortfolioStore.getState, useOrdersStore.getState, useAlertsStore.getState, useDivestStore.getState), []);
  // The chain listing is fetched once and again whenever the stream says it changed.
  useEffect(() => {
    if (loadedChain !== 0 && announcedChain <= loadedChain) return;
    const version = announcedChain;
    let stop = false;
    const load = (attempt: number): void => {
      call('options.chain', {}).then(
        (chain) => {
          if (stop) return;
          if (chain.contracts.length === 0 && attempt < 60) return void setTimeout(() => load(attempt + 1), 500);
          useOptionsStore.getState().setChain(chain.contracts, Math.max(version, 1));
        },
        () => {
          if (!stop && attempt < 60) setTimeout(() => load(attempt + 1), 1000);
        },
      );
    };
    load(0);
    return () => {
      stop = true;
    };
  }, [announcedChain, loadedChain]);
  useEffect(() => installHotkeys(), []);
  // A clicked desktop notification (Electron main raised it) opens the alert's cause.
  useEffect(() => terminalApi().onShowAlert?.((s) => useAlertsStore.getState().show(s.key, s.target)), []);
  useEffect(() => {
    void call('alerts.list', {}).then((a) => useAlertsStore.getState().applyFrame(a), () => undefined);
  }, []);
  useEffect(() => startVaultPolling(), []);
  useEffect(() => startHealthPolling(), []);
  // The keymap file is read at start and again whenever the window regains focus (after an edit).
  useEffect(() => {
    const load = (): void =>
      void call('app.keymap', {}).then(
        (k) => useKeymapStore.getState().apply(k.file, k.bindings, k.errors),
        () => undefined,
      );
    load();
    window.addEventListener('focus', load);
    return () => window.removeEventListener('focus', load);
  }, []);
  const keymapErrors = useKeymapStore((s) => s.errors);
  useKeymapStore((s) => s.resolved);
  useEffect(() => {
    void call('app.info', {}).then(setInfo, (e: Error) => setError(e.message));
    // Badges from the current state; the stream carries every change after this.
    void call('venues.status', {}).then((v) => useMarketStore.getState().setVenues(v), () => undefined);
    let stop = false;
    // Markets load after the venue answers; ask again until they are there.
    const loadInstruments = async (attempt: number): Promise<void> => {
      try {
        const list = await call('market.instruments', {});
        if (stop) return;
        if (list.length === 0) throw new Error('no markets yet');
        useMarketStore.getState().setInstruments(list);
        setError(null);
        const view = useViewStore.getState();
        if (!list.some((i) => i.id === view.selectedId)) view.select(list[0]!.id);
      } catch (e) {
        if (stop) return;
        if (attempt > 3) setError(`Markets unavailable: ${(e as Error).message}`);
        setTimeout(() => void loadInstruments(attempt + 1), Math.min(5000, 300 * 2 ** attempt));
      }
    };
    void loadInstruments(0);
    return () => {
      stop = true;
    };
  }, []);

  const hints = keymapFor(workspace);
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand" title="DeltaDesk">
          <span className="brand-name">DeltaDesk</span>
          {allPaper ? <span className="mode-badge" title="Simulated market: no real orders, no real money">PAPER</span> : null}
        </div>
        <nav className="workspace-tabs" aria-label="Workspace">
          {WORKSPACE_TABS.map((t) => (
            <button key={t.id} className={`tab${workspace === t.id ? ' active' : ''}`} onClick={() => setWorkspace(t.id)} title={`${t.title}${workspaceKey(t.id)}`}>
              <span className="symbol">{t.label}</span>
            </button>
          ))}
        </nav>
        {workspace === 'market' ? <InstrumentTabs /> : null}
        <div className="spacer" />
        <VenueBadges />
        <AlertsBadge />
        <DivestChip />
        <LockChip />
      </header>
      <UnlockDialog />
      <LiveBanner />
      <EngineBanner />
      <CriticalBanner />
      {error ? (
        <div className="banner error" role="alert">
          {error}
        </div>
      ) : null}
      {streamErrors > 0 ? (
        <div className="banner warn" role="status">
          {streamErrors} stream frame(s) could not be read and were skipped: {lastStreamError}
        </div>
      ) : null}
      {keymapErrors.length ? (
        <div className="banner warn" role="status">
          {keymapErrors.join(' · ')}
        </div>
      ) : null}
      {workspace === 'options' ? (
        <main className="workspace options">
          <OptionsWorkspace />
        </main>
      ) : workspace === 'vault' ? (
        <main className="workspace vault">
          <VaultWorkspace />
        </main>
      ) : workspace === 'journal' ? (
        <main className="workspace journal">
          <JournalWorkspace />
        </main>
      ) : workspace === 'portfolio' ? (
        <main className="workspace portfolio">
          <PortfolioWorkspace />
        </main>
      ) : (
        <main className="workspace with-orders">
          {selected ? (
            <>
              <CandleChart instrument={selected} />
              <OrderBook instrument={selected} />
              <div className="perps-side">
                <OrderTicket instrument={selected} />
                <TradeTape instrument={selected} />
              </div>
              <OrdersPanel />
            </>
          ) : (
            <div className="empty large">Loading markets…</div>
          )}
        </main>
      )}
      <HedgeOverlay />
      <ArbOverlay />
      <KillSwitchOverlay />
      <AlertsDrawer />
      <AlertToasts />
      <footer className="statusbar">
        <span className="key-hints" title={hints.map((k) => `${k.keys}  ${k.action}`).join('\n')}>
          {hints.map((k) => (
            <span key={k.keys} className="key-hint">
              <kbd>{k.keys}</kbd> {k.action}
            </span>
          ))}
        </span>
        <span className="muted">{info ? `v${info.version} · ${info.host === 'electron' ? 'desktop' : 'browser'}` : ''}</span>
      </footer>
    </div>
  );
}
