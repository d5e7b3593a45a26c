import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC } from '../../shared/contract/terminal-api.ts';
import { fail, type CommandResult } from '../../shared/contract/result.ts';
import { safeRoute, splitEnvelope } from '../border/command-router.ts';
import { isAppUrl } from './security.ts';

type Route = (name: unknown, payload: unknown) => Promise<CommandResult<unknown>>;

/**
 * Only the app's own top-level page may call: the frame must exist, be the main frame, and be
 * served from our origin. A sub-frame or a page that navigated elsewhere is refused.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, allowedOrigin: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, allowedOrigin);
}

/** Always answers with a result: IPC's invoke must never see a throw or a rejection from here. */
export function handleRequest(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, message: unknown, allowedOrigin: string, route: Route): Promise<CommandResult<unknown>> {
  try {
    if (!isTrustedSender(event, allowedOrigin)) {
      return Promise.resolve(fail('forbidden', 'request refused: it did not come from the DeltaDesk window'));
    }
    const envelope = splitEnvelope(message);
    if (!envelope) return Promise.resolve(fail('invalid-request', 'request must be an object { name, payload }'));
    return safeRoute(route, envelope.name, envelope.payload);
  } catch {
    return Promise.resolve(fail('internal', 'the request failed unexpectedly; nothing was changed'));
  }
}

export function registerIpcBorder(ipcMain: Pick<IpcMain, 'handle'>, allowedOrigin: string, route: Route): void {
  ipcMain.handle(IPC.request, (event, message: unknown) => handleRequest(event, message, allowedOrigin, route));
}
