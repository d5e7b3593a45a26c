import { contextBridge, ipcRenderer } from 'electron';
import { IPC, TERMINAL_API_GLOBAL, type TerminalApi } from '../../shared/contract/terminal-api.ts';

/*
 * The preload exposes the TerminalApi verbs and nothing else: no ipcRenderer, no event objects.
 * The stream port stays here in the isolated world; the page only ever sees frame bytes.
 */
const listeners = new Set<(bytes: Uint8Array) => void>();
let streamPort: MessagePort | null = null;

ipcRenderer.on(IPC.streamPort, (event) => {
  streamPort?.close();
  const port = event.ports[0];
  if (!port) return;
  streamPort = port;
  port.onmessage = (e: MessageEvent) => {
    if (!(e.data instanceof Uint8Array)) return;
    for (const l of listeners) l(e.data);
  };
});

const api: TerminalApi = {
  request: (name, payload) => ipcRenderer.invoke(IPC.request, { name, payload }),
  onStream: (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld(TERMINAL_API_GLOBAL, api);
