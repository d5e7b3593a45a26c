import { contextBridge, ipcRenderer } from 'electron';
import { IPC, TERMINAL_API_GLOBAL, type AlertShow, type TerminalApi } from '../../shared/contract/terminal-api.ts';

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

const showListeners = new Set<(show: AlertShow) => void>();
const WORKSPACES: readonly string[] = ['market', 'options', 'portfolio', 'vault', 'journal'];
// Main sends an alert's key and where its cause lives; anything else is dropped here.
ipcRenderer.on(IPC.showAlert, (_event, show: unknown) => {
  const s = show as { key?: unknown; target?: { workspace?: unknown; figure?: unknown } } | null;
  const workspace = s?.target?.workspace;
  if (typeof s?.key !== 'string' || typeof workspace !== 'string' || !WORKSPACES.includes(workspace) || typeof s.target?.figure !== 'string') return;
  const clean = { key: s.key, target: { workspace: workspace as AlertShow['target']['workspace'], figure: s.target.figure } };
  for (const l of showListeners) l(clean);
});

const api: TerminalApi = {
  request: (name, payload) => ipcRenderer.invoke(IPC.request, { name, payload }),
  onStream: (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  drawn: (n) => {
    if (Number.isSafeInteger(n) && n > 0) streamPort?.postMessage({ drawn: Math.min(n, 1_000) });
  },
  onShowAlert: (listener) => {
    showListeners.add(listener);
    return () => {
      showListeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld(TERMINAL_API_GLOBAL, api);
