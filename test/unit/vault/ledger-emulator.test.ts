import { describe, expect, it } from 'vitest';
import { hashMessage, recoverAddress, Transaction, verifyTypedData } from 'ethers';
import { LedgerDevice } from '../../../electron/vault/ledger/ledger-device.ts';
import { LedgerSigner } from '../../../electron/vault/ledger/ledger-signer.ts';
import { typedDataHashes } from '../../../electron/vault/signer.ts';
import { LedgerEmulator, type EmulatorSettings } from '../../support/ledger-emulator.ts';
import { APPROVE_AGENT, LEDGER_ADDRESS, PATH, TRANSFER } from '../../fixtures/ledger/replay-cases.ts';

function setup(settings: Partial<EmulatorSettings> = {}, timeouts = { quickMs: 2000, reviewMs: 5000 }): { emu: LedgerEmulator; device: LedgerDevice; signer: LedgerSigner } {
  const emu = new LedgerEmulator();
  Object.assign(emu.settings, settings);
  const device = new LedgerDevice(() => Promise.resolve(emu), { timeouts });
  return { emu, device, signer: new LedgerSigner(device, PATH, LEDGER_ADDRESS) };
}

describe('Ledger signer against the Ethereum-app emulator (real hw-app-eth)', () => {
  it('signs typed data; the device was shown the same hashes we computed', async () => {
    const { emu, signer } = setup();
    const sig = await signer.signTypedData(APPROVE_AGENT);
    expect(verifyTypedData(APPROVE_AGENT.domain, APPROVE_AGENT.types, APPROVE_AGENT.message, sig)).toBe(LEDGER_ADDRESS);
    const h = typedDataHashes(APPROVE_AGENT);
    expect(emu.lastReview).toEqual([`Domain hash ${h.domain.slice(2)}`, `Message hash ${h.message.slice(2)}`]);
  });

  it('signs legacy (EIP-155, large chain id) and EIP-1559 transactions that recover to the account', async () => {
    const { signer } = setup();
    const legacy = Transaction.from(await signer.signTransaction({ type: 0, chainId: 42161n, nonce: 1, to: TRANSFER.to, value: 1n, gasLimit: 21000n, gasPrice: 10n ** 8n }));
    expect(legacy.from).toBe(LEDGER_ADDRESS);
    const eip1559 = Transaction.from(await signer.signTransaction(TRANSFER));
    expect(eip1559.from).toBe(LEDGER_ADDRESS);
  });

  it('signs a personal message longer than one APDU', async () => {
    const { signer } = setup();
    const text = `DeltaDesk budget approval ${'x'.repeat(400)}`;
    expect(recoverAddress(hashMessage(text), await signer.signMessage(text))).toBe(LEDGER_ADDRESS);
  });

  it('reports each device condition by name', async () => {
    const cases: [Partial<EmulatorSettings>, string][] = [
      [{ user: 'reject' }, 'rejected'],
      [{ locked: true }, 'locked'],
      [{ appOpen: false }, 'app-not-open'],
      [{ blindSigning: false }, 'blind-signing-off'],
      [{ unplugged: true }, 'disconnected'],
    ];
    for (const [settings, state] of cases) {
      const { signer, device } = setup(settings);
      await expect(signer.signTypedData(APPROVE_AGENT)).rejects.toMatchObject({ state });
      expect(device.snapshot).toMatchObject({ state, busy: false });
    }
  });

  it('probe tells the trader blind signing is off before they try', async () => {
    const { device } = setup({ blindSigning: false });
    expect(await device.probe()).toMatchObject({ appVersion: '1.12.0', blindSigning: false });
  });

  it('runs one request at a time, in order, even when asked concurrently', async () => {
    const { emu, signer } = setup({ reviewMs: 30 });
    const a = signer.signTypedData(APPROVE_AGENT);
    const b = signer.signMessage('second');
    const c = signer.signTypedData({ ...APPROVE_AGENT, message: { ...APPROVE_AGENT.message, nonce: 1 } });
    await Promise.all([a, b, c]);
    const ins = emu.log.map((apdu) => apdu.slice(2, 4));
    expect(ins).toEqual(['0c', '08', '0c']);
  });

  it('cancel stops a request waiting on the device, and the next request works', async () => {
    // Each request opens the USB transport afresh, as the product does.
    const settings: EmulatorSettings = { ...new LedgerEmulator().settings, reviewMs: 10_000 };
    const device = new LedgerDevice(() => {
      const emu = new LedgerEmulator();
      emu.settings = settings;
      return Promise.resolve(emu);
    });
    const signer = new LedgerSigner(device, PATH, LEDGER_ADDRESS);
    const pending = signer.signTypedData(APPROVE_AGENT);
    await new Promise((r) => setTimeout(r, 20));
    expect(device.snapshot).toMatchObject({ state: 'waiting-for-user', busy: true });
    expect(device.cancel()).toBe(true);
    await expect(pending).rejects.toThrow(/cancelled by you/);
    settings.reviewMs = 0;
    await expect(device.getAddress(PATH)).resolves.toBe(LEDGER_ADDRESS);
  });

  it('times out a review nobody answers', async () => {
    const { signer, device } = setup({ reviewMs: 2000 }, { quickMs: 100, reviewMs: 60 });
    await expect(signer.signTypedData(APPROVE_AGENT)).rejects.toMatchObject({ state: 'timed-out' });
    expect(device.snapshot.state).toBe('timed-out');
  });

  it('refuses a signature from another account (different seed or path on the device)', async () => {
    const emu = new LedgerEmulator();
    const device = new LedgerDevice(() => Promise.resolve(emu));
    const signer = new LedgerSigner(device, "44'/60'/0'/0/1", LEDGER_ADDRESS);
    await expect(signer.signTypedData(APPROVE_AGENT)).rejects.toThrow(/different device or account/);
  });
});
