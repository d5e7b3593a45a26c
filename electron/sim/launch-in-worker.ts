import { Worker } from 'node:worker_threads';
import type { SimEndpoints, SimLaunchOptions } from './start-sim.ts';

/** Starts the simulator in a worker thread from the given entry file and waits until it listens. */
export function launchSimInWorker(entry: URL, options: SimLaunchOptions): Promise<{ endpoints: SimEndpoints; worker: Worker }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry, { workerData: options });
    worker.once('error', reject);
    worker.once('message', (msg: { type: string; endpoints?: SimEndpoints; message?: string }) => {
      if (msg.type === 'listening' && msg.endpoints) resolve({ endpoints: msg.endpoints, worker });
      else reject(new Error(`simulated market failed to start: ${msg.message ?? 'unknown error'}`));
    });
  });
}

const portOf = (url: string): number => Number(new URL(url).port);

export interface SimSupervisor {
  endpoints: SimEndpoints;
  /** How many times the simulator died and was started again. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/**
 * The simulator, kept alive: if its thread dies it is started again, on the same ports, so the
 * adapters' own reconnects find it (a new market from the same seed: paper positions start over).
 * Retries back off from 250 ms to 5 s and the streak resets after a good start.
 */
export async function superviseSimInWorker(entry: URL, options: SimLaunchOptions, log: (line: string) => void = (l) => console.warn(l)): Promise<SimSupervisor> {
  let stopping = false;
  let restarts = 0;
  let streak = 0;
  let { endpoints, worker } = await launchSimInWorker(entry, options);
  const pinned: SimLaunchOptions = { ...options, port: portOf(endpoints.httpUrl), deribitPort: portOf(endpoints.deribit.wsUrl), derivePort: portOf(endpoints.derive.wsUrl) };
  const watch = (w: Worker): void => {
    w.once('exit', (code) => {
      if (stopping) return;
      log(`simulated market stopped (exit code ${code}); starting it again`);
      const retry = (): void => {
        setTimeout(() => {
          if (stopping) return;
          launchSimInWorker(entry, pinned).then(
            (next) => {
              ({ endpoints, worker } = next);
              restarts++;
              streak = 0;
              watch(worker);
            },
            (err: Error) => {
              streak++;
              log(`simulated market did not start again: ${err.message}`);
              retry();
            },
          );
        }, Math.min(5_000, 250 * 2 ** streak));
      };
      retry();
    });
  };
  watch(worker);
  return {
    get endpoints() {
      return endpoints;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      await worker.terminate();
    },
  };
}
