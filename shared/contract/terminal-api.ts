import type { CommandName, CommandRequest, CommandResponse } from './commands.ts';
import type { CommandResult } from './result.ts';
import type { AlertTarget } from '../domain/alerts.ts';

/**
 * The one interface the renderer sees. The Electron preload implements it over IPC and a
 * MessagePort; the browser bridge implements it over a WebSocket to the headless host.
 */
export interface TerminalApi {
  /** Sends a command; the host validates sender and payload before anything acts on it. */
  request<K extends CommandName>(name: K, payload: CommandRequest<K>): Promise<CommandResult<CommandResponse<K>>>;
  /** Receives encoded stream frames (see stream/frame-codec.ts). Returns an unsubscribe function. */
  onStream(listener: (bytes: Uint8Array) => void): () => void;
  /**
   * The page drew `n` more of the frames it received (frame-aligned publishing): the engine sends
   * the next ones as soon as the page has room, and coalesces while it has none.
   */
  drawn?(n: number): void;
  /**
   * The trader clicked a desktop notification: show the alert's cause. Electron only (main raises
   * those notifications); in a browser the page raises its own and handles the click itself.
   */
  onShowAlert?(listener: (show: AlertShow) => void): () => void;
}

/** Which alert a clicked notification was about, and where its cause is on screen. */
export interface AlertShow {
  key: string;
  target: AlertTarget;
}

/** Name under which the Electron preload exposes the API on `window`. */
export const TERMINAL_API_GLOBAL = 'deltadesk';

/** IPC channel names: used only by the preload and main, never by feature code. */
export const IPC = {
  request: 'deltadesk:request',
  streamPort: 'deltadesk:stream-port',
  showAlert: 'deltadesk:show-alert',
} as const;
