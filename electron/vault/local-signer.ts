import type { TransactionLike } from 'ethers';
import type { TypedDataPayload } from '../../shared/domain/typed-data.ts';
import { attachSignature, messageDigest, typedDataHashes, unsignedTransaction, type Signer, type TypedDataHashes } from './signer.ts';
import type { Vault } from './vault.ts';

/** Signs with a key held in the vault; the key is opened for each signature and wiped after. */
export class LocalSigner implements Signer {
  readonly kind = 'local' as const;
  private readonly vault: Vault;
  readonly keyId: string;

  constructor(vault: Vault, keyId: string) {
    this.vault = vault;
    this.keyId = keyId;
  }

  address(): Promise<string> {
    return Promise.resolve(this.vault.key(this.keyId).address);
  }

  signTypedData(td: TypedDataPayload, hashes: TypedDataHashes = typedDataHashes(td)): Promise<string> {
    return Promise.resolve(this.vault.signDigest(this.keyId, hashes.digest));
  }

  signTransaction(tx: TransactionLike): Promise<string> {
    const t = unsignedTransaction(tx);
    return Promise.resolve(attachSignature(t, this.vault.signDigest(this.keyId, t.unsignedHash)));
  }

  signMessage(message: string | Uint8Array): Promise<string> {
    return Promise.resolve(this.vault.signDigest(this.keyId, messageDigest(message)));
  }
}
