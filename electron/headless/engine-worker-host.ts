import { Worker } from 'node:worker_threads';
import { EngineClient } from '../border/engine-client.ts';
import type { EngineBoot, EngineToHost } from '../engine/host-protocol.ts';

/** Hosts the engine in a worker thread, the headless counterpart of Electron's utility process. */
export function startEngineWorker(entry: URL, boot: EngineBoot): { client: EngineClient; worker: Worker } {
  const worker = new Worker(entry);
  const listeners = new Set<(m: EngineToHost) => void>();
  worker.on('message', (m: EngineToHost) => listeners.forEach((l) => l(m)));
  const client = new EngineClient({ post: (m) => worker.postMessage(m), onMessage: (l) => listeners.add(l) });
  worker.on('error', (err: Error) => client.failPending(`engine crashed: ${err.message}`));
  worker.postMessage({ type: 'start', boot });
  worker.postMessage({ type: 'attach-stream' });
  return { client, worker };
}
