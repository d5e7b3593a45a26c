import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Transaction } from 'ethers';
import type * as Mocker from '@ledgerhq/hw-transport-mocker';
import { LedgerDevice } from '../../../electron/vault/ledger/ledger-device.ts';
import { LedgerSigner } from '../../../electron/vault/ledger/ledger-signer.ts';
import { typedDataHashes } from '../../../electron/vault/signer.ts';
import { APPROVE_AGENT, LEDGER_ADDRESS, PATH, TRANSFER } from '../../fixtures/ledger/replay-cases.ts';

// The real hw-app-eth code against recorded APDU exchanges: any change in what we send (path,
// chunking, hashes) fails with the line that differs; every recorded answer must be consumed.
const require = createRequire(import.meta.url);
const { RecordStore, openTransportReplayer } = require('@ledgerhq/hw-transport-mocker') as typeof Mocker;
const here = path.dirname(fileURLToPath(import.meta.url));

function replay(name: string): { device: LedgerDevice; store: Mocker.RecordStore } {
  const text = readFileSync(path.join(here, '../../fixtures/ledger', `${name}.apdu`), 'utf8');
  const store = RecordStore.fromString(text.split('\n').filter((l) => !l.startsWith('#')).join('\n'));
  const device = new LedgerDevice(async () => await openTransportReplayer(store));
  return { device, store };
}

describe('Ledger over replayed APDU traces', () => {
  it('asks for the address with the spec framing and reads it back checksummed', async () => {
    const { device, store } = replay('get-address');
    expect(await device.getAddress(PATH)).toBe(LEDGER_ADDRESS);
    store.ensureQueueEmpty();
  });

  it('signs approveAgent by its two EIP-712 hashes, and the signature is the account\'s', async () => {
    const { device, store } = replay('sign-approve-agent');
    const sig = await new LedgerSigner(device, PATH, LEDGER_ADDRESS).signTypedData(APPROVE_AGENT);
    expect(sig).toMatch(/^0x[0-9a-f]{130}$/);
    store.ensureQueueEmpty();
  });

  it('signs an EIP-1559 transaction that recovers to the account', async () => {
    const { device, store } = replay('sign-transaction');
    const signed = await device.signTransaction(PATH, TRANSFER);
    const tx = Transaction.from(signed);
    expect(tx.from).toBe(LEDGER_ADDRESS);
    expect(tx.chainId).toBe(42161n);
    store.ensureQueueEmpty();
  });

  const failures: [string, string, RegExp][] = [
    ['rejected', 'rejected', /Rejected on the Ledger/],
    ['locked', 'locked', /enter your PIN/],
    ['app-closed', 'app-not-open', /Open the Ethereum app/],
    ['blind-signing-off', 'blind-signing-off', /Enable "Blind signing"/],
  ];
  for (const [trace, state, message] of failures) {
    it(`names the device state from the status word: ${state}`, async () => {
      const { device } = replay(trace);
      const run = trace === 'locked' || trace === 'app-closed' ? device.getAddress(PATH) : device.signTypedData(PATH, typedDataHashes(APPROVE_AGENT));
      await expect(run).rejects.toMatchObject({ state, message: expect.stringMatching(message) as unknown });
      expect(device.snapshot.state).toBe(state);
    });
  }
});
