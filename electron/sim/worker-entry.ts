import { parentPort, workerData } from 'node:worker_threads';
import { startSimulatedMarket, type SimLaunchOptions } from './start-sim.ts';

/** Runs the simulated market in its own thread so its work never delays the engine's event loop. */
const options = workerData as SimLaunchOptions;
startSimulatedMarket(options).then(
  ({ endpoints }) => parentPort?.postMessage({ type: 'listening', endpoints }),
  (err: Error) => parentPort?.postMessage({ type: 'error', message: err.message }),
);
