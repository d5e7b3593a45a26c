/*
 * What the trader needs to know about the Ledger, by name, from the status words the Ethereum
 * app answers (app-ethereum's APDU spec; the "app closed" list follows what wallets see from the
 * dashboard and from other apps) and from the transport's own errors.
 */
export const DEVICE_STATES = ['disconnected', 'locked', 'app-not-open', 'blind-signing-off', 'ready', 'waiting-for-user', 'rejected', 'timed-out', 'error'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

const LOCKED = new Set([0x5515, 0x6b0c, 0x6804]);
const APP_CLOSED = new Set([0x6d00, 0x6d02, 0x6e00, 0x6e01, 0x6511, 0x650f, 0x6a83]);
const DISCONNECTED_NAMES = new Set(['DisconnectedDevice', 'DisconnectedDeviceDuringOperation', 'NoDeviceFound', 'CantOpenDevice', 'TransportOpenUserCancelled']);

export interface DeviceProblem {
  state: DeviceState;
  /** One line for the status bar and the error toast. */
  message: string;
}

export const STATE_TEXT: Record<DeviceState, string> = {
  disconnected: 'Ledger not connected: plug it in and unlock it',
  locked: 'Ledger is locked: enter your PIN on the device',
  'app-not-open': 'Open the Ethereum app on the Ledger',
  'blind-signing-off': 'Enable "Blind signing" in the Ethereum app settings on the Ledger',
  ready: 'Ledger ready',
  'waiting-for-user': 'Review and approve on the Ledger',
  rejected: 'Rejected on the Ledger',
  'timed-out': 'The Ledger did not answer in time',
  error: 'Ledger error',
};

export function statusWordOf(err: unknown): number | null {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : null;
}

export function problemFromError(err: unknown): DeviceProblem {
  const sw = statusWordOf(err);
  const name = (err as { name?: unknown } | null)?.name;
  let state: DeviceState = 'error';
  if (sw === 0x6985) state = 'rejected';
  else if (sw === 0x6a80) state = 'blind-signing-off';
  else if (sw !== null && LOCKED.has(sw)) state = 'locked';
  else if (sw !== null && APP_CLOSED.has(sw)) state = 'app-not-open';
  else if (typeof name === 'string' && DISCONNECTED_NAMES.has(name)) state = 'disconnected';
  const detail = state === 'error' ? `: ${sw !== null ? `status 0x${sw.toString(16)}` : (err as Error).message}` : '';
  return { state, message: `${STATE_TEXT[state]}${detail}` };
}
