import { superviseSimInWorker } from '../sim/launch-in-worker.ts';
import { serveEngine, type StreamPort } from './serve-engine.ts';

/**
 * Engine entry for Electron's utilityProcess. It must not import `electron`: `process.parentPort`
 * is provided by the utility process runtime, and the stream port arrives with the message that
 * asks for it, so frames flow engine → window without passing through main.
 */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown; ports: (StreamPort & { start(): void })[] }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('engine must run in an Electron utility process');

serveEngine(
  {
    post: (message) => parentPort.postMessage(message),
    onMessage: (listener) =>
      parentPort.on('message', (e) => {
        const port = e.ports[0] ?? null;
        port?.start();
        listener(e.data, port);
      }),
  },
  async (options) => (await superviseSimInWorker(new URL('./sim-worker.js', import.meta.url), options)).endpoints,
);
