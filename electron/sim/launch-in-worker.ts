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
