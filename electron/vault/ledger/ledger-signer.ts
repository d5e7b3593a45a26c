import { recoverAddress, Transaction, type TransactionLike } from 'ethers';
import type { TypedDataPayload } from '../../../shared/domain/typed-data.ts';
import { messageDigest, typedDataHashes, type Signer, type TypedDataHashes } from '../signer.ts';
import { LedgerError, type LedgerDevice } from './ledger-device.ts';

/**
 * A Ledger account as a Signer. Every signature is checked against the account's address before
 * it is used: a different device, seed or path plugged in since the account was added is caught
 * here instead of producing an order the venue attributes to a stranger.
 */
export class LedgerSigner implements Signer {
  readonly kind = 'ledger' as const;
  readonly path: string;
  private readonly device: LedgerDevice;
  private readonly expected: string;

  constructor(device: LedgerDevice, path: string, address: string) {
    this.device = device;
    this.path = path;
    this.expected = address.toLowerCase();
  }

  address(): Promise<string> {
    return Promise.resolve(this.expected);
  }

  async signTypedData(td: TypedDataPayload, hashes: TypedDataHashes = typedDataHashes(td)): Promise<string> {
    const sig = await this.device.signTypedData(this.path, hashes);
    this.check(recoverAddress(hashes.digest, sig));
    return sig;
  }

  async signTransaction(tx: TransactionLike): Promise<string> {
    const signed = await this.device.signTransaction(this.path, tx);
    this.check(Transaction.from(signed).from ?? '');
    return signed;
  }

  async signMessage(message: string | Uint8Array): Promise<string> {
    const sig = await this.device.signMessage(this.path, message);
    this.check(recoverAddress(messageDigest(message), sig));
    return sig;
  }

  private check(signer: string): void {
    if (signer.toLowerCase() !== this.expected) {
      throw new LedgerError('error', `the Ledger signed as ${signer}, not as ${this.expected}: a different device or account is connected`);
    }
  }
}
