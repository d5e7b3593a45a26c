import { createRequire } from 'node:module';
import type EthApp from '@ledgerhq/hw-app-eth';
import type Transport from '@ledgerhq/hw-transport';

/*
 * Ledger's packages ship an ES-module build that plain Node cannot resolve (extension-less
 * imports), so they are loaded through their CommonJS build.
 */
const loadCommonJs = createRequire(import.meta.url);

export type { Transport };
export type EthAppInstance = InstanceType<typeof EthApp>;

export function loadEthApp(): new (transport: Transport) => EthAppInstance {
  return (loadCommonJs('@ledgerhq/hw-app-eth') as { default: typeof EthApp }).default;
}

/** Opens the first Ledger on USB (node-hid). Throws when none is plugged in. */
export async function openUsbTransport(): Promise<Transport> {
  const mod = loadCommonJs('@ledgerhq/hw-transport-node-hid') as { default: { open(path: string | null | undefined): Promise<Transport>; list(): Promise<unknown[]> } };
  const found = await mod.default.list();
  if (found.length === 0) throw Object.assign(new Error('no Ledger found on USB'), { name: 'NoDeviceFound' });
  return mod.default.open(null);
}
