import { parentPort, workerData } from 'node:worker_threads';
import { startHyperliquidSim, type SimLaunchOptions } from './start-hyperliquid-sim.ts';

/** Runs the simulated market in its own thread so its work never delays the engine's event loop. */
const options = workerData as SimLaunchOptions;
startHyperliquidSim(options).then(
  ({ endpoints }) => parentPort?.postMessage({ type: 'listening', endpoints }),
  (err: Error) => parentPort?.postMessage({ type: 'error', message: err.message }),
);
