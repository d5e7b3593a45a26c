import { encode } from '@msgpack/msgpack';
import { getBytes, keccak256, Signature, verifyTypedData } from 'ethers';
import type { TypedDataPayload } from '../../../shared/domain/typed-data.ts';

/*
 * What Hyperliquid signs, built without any key: the vault signs the typed data these functions
 * return, and the simulator verifies with the same functions. Two schemes (venue docs, "Signing"):
 * L1 actions sign a "phantom agent" whose connectionId is the keccak of the msgpack'd action;
 * user-signed actions (approveAgent, withdrawals, transfers) sign their own fields as EIP-712.
 */

export type { TypedDataPayload };

/** The signature as the venue's JSON carries it: v is 27 or 28. */
export interface WireSignature {
  r: string;
  s: string;
  v: number;
}

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/**
 * The hash of an L1 action: msgpack(action) ‖ nonce (u64 BE) ‖ vault flag [‖ 0x00 ‖ expiresAfter].
 * Key order of `action` is part of the hash, so callers build actions with the venue's key order.
 * msgpack picks the smallest integer form and uint64 above 2^32, as the venue's encoder does.
 */
export function actionHash(action: object, nonce: number, vaultAddress: string | null, expiresAfter: number | null = null): string {
  const packed = encode(action);
  const vaultBytes = vaultAddress ? getBytes(vaultAddress.toLowerCase()) : null;
  const size = packed.length + 8 + 1 + (vaultBytes ? 20 : 0) + (expiresAfter !== null ? 9 : 0);
  const out = new Uint8Array(size);
  out.set(packed, 0);
  const view = new DataView(out.buffer);
  let at = packed.length;
  view.setBigUint64(at, BigInt(nonce));
  at += 8;
  if (vaultBytes) {
    out[at++] = 1;
    out.set(vaultBytes, at);
    at += 20;
  } else {
    out[at++] = 0;
  }
  if (expiresAfter !== null) {
    out[at++] = 0;
    view.setBigUint64(at, BigInt(expiresAfter));
  }
  return keccak256(out);
}

const AGENT_TYPES = { Agent: [{ name: 'source', type: 'string' }, { name: 'connectionId', type: 'bytes32' }] };

/** The phantom-agent typed data for an L1 action (chain id 1337 always, source "a" mainnet, "b" testnet). */
export function l1TypedData(connectionId: string, isMainnet: boolean): TypedDataPayload {
  return {
    domain: { name: 'Exchange', version: '1', chainId: 1337, verifyingContract: ZERO_ADDRESS },
    types: AGENT_TYPES,
    primaryType: 'Agent',
    message: { source: isMainnet ? 'a' : 'b', connectionId },
  };
}

/** Sending USDC and withdrawing sign the same four fields. */
const TRANSFER_FIELDS = [
  { name: 'hyperliquidChain', type: 'string' },
  { name: 'destination', type: 'string' },
  { name: 'amount', type: 'string' },
  { name: 'time', type: 'uint64' },
] as const;

/** EIP-712 fields of the user-signed actions we send, in the venue's order. */
export const USER_SIGNED_TYPES = {
  approveAgent: {
    primaryType: 'HyperliquidTransaction:ApproveAgent',
    fields: [
      { name: 'hyperliquidChain', type: 'string' },
      { name: 'agentAddress', type: 'address' },
      { name: 'agentName', type: 'string' },
      { name: 'nonce', type: 'uint64' },
    ],
  },
  usdSend: { primaryType: 'HyperliquidTransaction:UsdSend', fields: TRANSFER_FIELDS },
  withdraw3: { primaryType: 'HyperliquidTransaction:Withdraw', fields: TRANSFER_FIELDS },
} as const;

export type UserSignedKind = keyof typeof USER_SIGNED_TYPES;

/** Typed data of a user-signed action; the domain's chain id comes from the action's `signatureChainId`. */
export function userSignedTypedData(kind: UserSignedKind, action: Record<string, unknown> & { signatureChainId: string }): TypedDataPayload {
  const spec = USER_SIGNED_TYPES[kind];
  const message: Record<string, unknown> = {};
  for (const f of spec.fields) message[f.name] = action[f.name];
  return {
    domain: { name: 'HyperliquidSignTransaction', version: '1', chainId: Number(BigInt(action.signatureChainId)), verifyingContract: ZERO_ADDRESS },
    types: { [spec.primaryType]: spec.fields.map((f) => ({ ...f })) },
    primaryType: spec.primaryType,
    message,
  };
}

/** ethers' 65-byte signature to the venue's `{r, s, v}` (v 27/28; r and s padded to 32 bytes). */
export function toWireSignature(signature: string): WireSignature {
  const sig = Signature.from(signature);
  return { r: sig.r, s: sig.s, v: sig.v };
}

/**
 * Who signed: the recovered address, lowercased. The venue parses r and s as integers (the Python
 * SDK drops leading zeros), so short hex is accepted here too.
 */
export function recoverSigner(td: TypedDataPayload, sig: WireSignature): string {
  const pad = (h: string): string => `0x${h.replace(/^0x/i, '').padStart(64, '0')}`;
  const signature = Signature.from({ r: pad(sig.r), s: pad(sig.s), v: sig.v });
  return verifyTypedData(td.domain, td.types, td.message, signature).toLowerCase();
}
