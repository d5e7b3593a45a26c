import type { CommandName, CommandRequest, CommandResponse } from '../../../shared/contract/commands.ts';
import { TerminalError } from '../../../shared/contract/result.ts';
import { TERMINAL_API_GLOBAL, type TerminalApi } from '../../../shared/contract/terminal-api.ts';
import { createWebSocketBridge } from './ws-bridge.ts';

let api: TerminalApi | null = null;

/** The Electron preload's API when present, otherwise the browser bridge to the headless host. */
export function terminalApi(): TerminalApi {
  if (!api) {
    const exposed = (window as unknown as Record<string, TerminalApi | undefined>)[TERMINAL_API_GLOBAL];
    api = exposed ?? createWebSocketBridge();
  }
  return api;
}

/** For tests: run the UI against a fake host. */
export function setTerminalApi(replacement: TerminalApi | null): void {
  api = replacement;
}

/** Sends a command and returns its value, or throws a TerminalError carrying the host's reason. */
export async function call<K extends CommandName>(name: K, payload: CommandRequest<K>): Promise<CommandResponse<K>> {
  const result = await terminalApi().request(name, payload);
  if (!result.ok) throw new TerminalError(result.error.code, result.error.message);
  return result.value;
}
