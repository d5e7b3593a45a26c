import { concat, hashMessage, keccak256, Signature, Transaction, TypedDataEncoder, type TransactionLike } from 'ethers';
import type { TypedDataPayload } from '../../shared/domain/typed-data.ts';

/**
 * One interface for every way we sign: the vault's local keys and a Ledger. Signatures are
 * returned as 65-byte hex (r ‖ s ‖ v with v 27/28); transactions come back signed and serialised.
 */
export interface Signer {
  readonly kind: 'local' | 'ledger';
  address(): Promise<string>;
  /** `hashes` when the caller already has them (the signing path journals the digest too). */
  signTypedData(td: TypedDataPayload, hashes?: TypedDataHashes): Promise<string>;
  signTransaction(tx: TransactionLike): Promise<string>;
  signMessage(message: string | Uint8Array): Promise<string>;
}

export interface TypedDataHashes {
  domain: string;
  message: string;
  /** keccak256(0x1901 ‖ domain ‖ message): what is signed. */
  digest: string;
}

/** The EIP-712 hashes, each computed once (a Ledger signs the first two, a key signs the digest). */
export function typedDataHashes(td: TypedDataPayload): TypedDataHashes {
  const domain = TypedDataEncoder.hashDomain(td.domain);
  const message = TypedDataEncoder.from(td.types).hash(td.message);
  return { domain, message, digest: keccak256(concat(['0x1901', domain, message])) };
}

/** A transaction ready to sign: no signature yet, typed, with its chain id. */
export function unsignedTransaction(tx: TransactionLike): Transaction {
  const t = Transaction.from({ ...tx, signature: null });
  if (t.chainId === 0n) throw new Error('a transaction to sign needs a chain id (replay protection)');
  return t;
}

export function attachSignature(tx: Transaction, signature: string): string {
  tx.signature = Signature.from(signature);
  return tx.serialized;
}

export function messageDigest(message: string | Uint8Array): string {
  return hashMessage(message);
}
