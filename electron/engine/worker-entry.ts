import { parentPort } from 'node:worker_threads';
import { superviseSimInWorker } from '../sim/launch-in-worker.ts';
import { serveEngine } from './serve-engine.ts';

/** Engine entry for the headless host: a worker thread; frames go back over the parent port. */
if (!parentPort) throw new Error('engine worker must run in a worker thread');
const port = parentPort;
serveEngine(
  {
    post: (message) => {
      if (message.type === 'frame') port.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
      else port.postMessage(message);
    },
    onMessage: (listener) => port.on('message', (m: unknown) => listener(m, null)),
  },
  async (options) => (await superviseSimInWorker(new URL('./sim-worker.js', import.meta.url), options)).endpoints,
);
