import { fail } from '../../shared/contract/result.ts';
import { describeIssues } from '../../shared/contract/validate.ts';
import type { SimEndpoints, SimLaunchOptions } from '../sim/start-sim.ts';
import { Engine } from './engine.ts';
import type { MeteredSink } from './publisher.ts';
import { drawnCount } from '../../shared/stream/frame-credit.ts';
import { SignClient } from './orders/sign-client.ts';
import { engineBootSchema, hostToEngineSchema, type EngineToHost, type VenueEndpointsInUse } from './host-protocol.ts';
import { NETWORK_VENUES, PAPER_NETWORKS, VENUE_ENDPOINTS, type Network, type VenueNetworks } from '../../shared/domain/networks.ts';
import { DERIVE_NETWORKS } from '../venues/derive/signing.ts';

/** The engine's side of its host link, whatever carries it (utility process, worker thread). */
export interface HostLink {
  post(message: EngineToHost): void;
  onMessage(listener: (message: unknown, streamPort: StreamPort | null) => void): void;
}

/**
 * Where frames go when the host hands the engine a dedicated port (Electron: straight to the
 * window). The window says on the same port how many frames it drew (`{ drawn: n }`).
 */
export interface StreamPort {
  postMessage(bytes: Uint8Array): void;
  on?(event: 'message', listener: (e: { data: unknown }) => void): void;
  on?(event: 'close', listener: () => void): void;
}

export type SimLauncher = (options: SimLaunchOptions) => Promise<SimEndpoints>;

/**
 * Runs the engine behind a host link: the first message must be `start`; every message is
 * validated here too, so a confused host gets an error instead of a crashed engine.
 */
export function serveEngine(link: HostLink, launchSim: SimLauncher): void {
  let engine: Engine | null = null;
  const signer = new SignClient((m) => link.post(m));
  // Stream requests that arrive while the engine boots are honoured once it is up.
  const waitingStreams: (StreamPort | null)[] = [];
  // The host's own stream (headless): the host hands on its pages' credit with `drawn` messages.
  let hostScreen: MeteredSink | null = null;
  const attach = (e: Engine, port: StreamPort | null): void => {
    if (!port) {
      hostScreen?.remove();
      hostScreen = e.addScreenSink((bytes) => link.post({ type: 'frame', bytes }));
      return;
    }
    const screen = e.addScreenSink((bytes) => port.postMessage(bytes));
    port.on?.('message', (m: { data: unknown }) => {
      const n = drawnCount(m.data);
      if (n !== null) screen.drawn(n);
    });
    port.on?.('close', () => screen.remove());
  };

  link.onMessage((raw, streamPort) => {
    const parsed = hostToEngineSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') link.post({ type: 'response', id, result: fail('invalid-request', describeIssues(parsed.error)) });
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'sign-result':
        signer.answer(msg.id, msg.result);
        return;
      case 'start':
        if (engine) return;
        void boot(msg.boot).then(
          (e) => {
            engine = e.engine;
            for (const port of waitingStreams.splice(0)) attach(e.engine, port);
            link.post({ type: 'ready', sim: e.sim, endpoints: e.endpoints });
          },
          (err: Error) => link.post({ type: 'fatal', message: `engine failed to start: ${err.message}` }),
        );
        return;
      case 'request':
        if (!engine) return link.post({ type: 'response', id: msg.id, result: fail('unavailable', 'engine is starting') });
        void engine.request(msg.name, msg.payload).then((result) => link.post({ type: 'response', id: msg.id, result }));
        return;
      case 'attach-stream':
        if (engine) attach(engine, streamPort);
        else waitingStreams.push(streamPort);
        return;
      case 'republish':
        engine?.republish();
        return;
      case 'drawn':
        hostScreen?.drawn(msg.n);
        return;
      case 'stop':
        hostScreen = null;
        signer.failAll('the engine is stopping');
        engine?.stop();
        engine = null;
        return;
    }
  });

  async function boot(input: unknown): Promise<{ engine: Engine; sim: SimEndpoints | null; endpoints: VenueEndpointsInUse }> {
    const boot = engineBootSchema.parse(input);
    const networks: VenueNetworks = boot.networks ?? (boot.mode === 'paper' ? PAPER_NETWORKS : { hyperliquid: 'mainnet', deribit: 'mainnet', derive: 'mainnet' });
    const onSim = (n: Network): boolean => n === 'paper' || (n === 'testnet' && boot.testnetAtSim === true);
    let sim: SimEndpoints | null = null;
    if (NETWORK_VENUES.some((v) => onSim(networks[v]))) {
      sim = await launchSim({
        seed: boot.seed,
        ...(boot.simControlToken ? { controlToken: boot.simControlToken } : {}),
        ...(boot.simBookIntervalMs ? { bookIntervalMs: boot.simBookIntervalMs } : {}),
        ...(boot.deribitHeartbeatS ? { minHeartbeatS: boot.deribitHeartbeatS } : {}),
        aave: boot.paperAave,
      });
    }
    // The same adapters on every network: only where they point differs.
    const hl = networks.hyperliquid;
    const hyperliquid = onSim(hl) ? { httpUrl: sim!.httpUrl, wsUrl: sim!.wsUrl } : (boot.hyperliquid ?? VENUE_ENDPOINTS.hyperliquid[hl as 'testnet' | 'mainnet']);
    const d = networks.deribit;
    const deribitWs = onSim(d) ? sim!.deribit.wsUrl : (boot.deribit?.wsUrl ?? VENUE_ENDPOINTS.deribit[d as 'testnet' | 'mainnet'].wsUrl);
    // Derive on its own switch, on the v3 API (v2's constants stay behind the signing flag).
    const dv = networks.derive;
    const v3 = DERIVE_NETWORKS[dv === 'mainnet' ? 'v3' : 'v3-testnet'];
    const derive = onSim(dv) ? sim!.derive : { wsUrl: v3.ws, httpUrl: v3.http, chainId: v3.chainId };
    const deriveWs = derive.wsUrl;
    const e = new Engine({
      mode: hl === 'paper' ? 'paper' : 'live',
      hyperliquid,
      dataDir: boot.dataDir ?? null,
      paperAddress: hl === 'paper' ? (sim?.paperAddress ?? null) : null,
      hyperliquidOptions: boot.staleAfterMs ? { staleAfterMs: boot.staleAfterMs } : {},
      sign: (request) => signer.sign(request),
      notify: (alert) => link.post({ type: 'alert', alert }),
      // Main holds Deribit's key (on paper, the simulator's): it logs the session in and sends the orders.
      deribit: { wsUrl: deribitWs, paper: d === 'paper' },
      // Derive quotes beside Deribit's chain, on the network chosen for it.
      derive: { wsUrl: deriveWs, paper: dv === 'paper' },
      // Paper: the local Aave market's borrower, watched like the Hyperliquid paper account.
      ...(hl === 'paper' && sim && 'market' in sim.aave
        ? { aave: { market: { rpcUrl: sim.aave.rpcUrl, chainId: sim.aave.chainId, pool: sim.aave.market.pool, oracle: sim.aave.market.oracle, dataProvider: sim.aave.market.dataProvider, reserves: sim.aave.market.reserves }, accounts: [sim.aave.paperAccount] } }
        : {}),
      ...(boot.deribitHeartbeatS ? { deribitOptions: { heartbeatIntervalS: boot.deribitHeartbeatS } } : {}),
    });
    if (boot.whatIfs?.length) e.restoreWhatIfs(boot.whatIfs);
    void e.start();
    return { engine: e, sim, endpoints: { hyperliquid: { ...hyperliquid, network: hl }, deribit: { wsUrl: deribitWs, network: d }, derive: { wsUrl: derive.wsUrl, httpUrl: derive.httpUrl, chainId: derive.chainId, network: dv } } };
  }
}
