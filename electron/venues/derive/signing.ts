import { AbiCoder, concat, getAddress, hashMessage, keccak256, parseUnits, recoverAddress, Signature, TypedDataEncoder, verifyMessage } from 'ethers';
import type { TypedDataPayload } from '../../../shared/domain/typed-data.ts';

/*
 * What Derive signs, built without any key (venues.md §3.5–3.7): the vault signs what these
 * functions return and the simulator verifies with the same functions, so a byte that differs
 * fails on our side as it would at the venue. Every action is one EIP-712 struct, `Action`, whose
 * `data` is the ABI encoding of the module's own fields (a trade, a session key); the domain is
 * the Matching contract on the network's chain.
 */

export const ACTION_TYPEHASH = '0x4d7a9f27c403ff9c0f19bce61d76d82f9aa29f8d6d4b0c5474607d9770d1af17';
export const MATCHING_ADDRESS = '0xeB8d770ec18DB98Db922E9D83260A585b9F0DeAD';

/** The v3 modules (same address on every v3 network) that sign what this app sends. */
export const DERIVE_MODULES = {
  trade: '0xB8D20c2B7a1Ad2EE33Bc50eF10876eD3035b5e7b',
  setSessionKey: '0xe330CF64ff6EbF41699aad344Cb21d78db1D2bb6',
} as const;

/**
 * The networks: v3 on Ethereum and Sepolia; v2 (the Derive chain, 957) kept behind a flag because
 * v3 mainnet was not confirmed live when this was written (venues.md §3 status warning).
 */
export const DERIVE_NETWORKS = {
  v3: { chainId: 1, http: 'https://api.derive.xyz/v3', ws: 'wss://api.derive.xyz/v3/ws' },
  'v3-testnet': { chainId: 11155111, http: 'https://testnet.api.derive.xyz/v3', ws: 'wss://testnet.api.derive.xyz/v3/ws' },
  v2: { chainId: 957, http: 'https://api.lyra.finance', ws: 'wss://api.lyra.finance/ws' },
} as const;
export type DeriveNetwork = keyof typeof DERIVE_NETWORKS;

/** Scope codes signed into a session key (venues.md §3.6); only the ones this app grants. */
export const SCOPE_CODES = { 'trade:orderbook:perp': 5, 'trade:orderbook:option': 6 } as const;
export type SessionScope = keyof typeof SCOPE_CODES;

export function deriveDomain(chainId: number): TypedDataPayload['domain'] {
  return { name: 'Matching', version: '1.0', chainId, verifyingContract: MATCHING_ADDRESS };
}

export function domainSeparator(chainId: number): string {
  return TypedDataEncoder.hashDomain(deriveDomain(chainId));
}

export interface DeriveAction {
  subaccountId: bigint;
  /** UTC nanoseconds with random sub-millisecond digits, unique per action (v3). */
  nonce: bigint;
  module: string;
  /** ABI-encoded module data, 0x hex. */
  data: string;
  /** `signature_expiry_sec`, unix seconds. */
  expiry: bigint;
  owner: string;
  signer: string;
}

const ACTION_TYPES = {
  Action: [
    { name: 'subaccountId', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'module', type: 'address' },
    { name: 'data', type: 'bytes' },
    { name: 'expiry', type: 'uint256' },
    { name: 'owner', type: 'address' },
    { name: 'signer', type: 'address' },
  ],
};

const abi = AbiCoder.defaultAbiCoder();

/**
 * A wire decimal as the venue's e18 integer. The venue keeps 12 decimals and rejects, not
 * truncates, anything finer; so do we, before anything is signed.
 */
export function e18(decimal: string): bigint {
  if (!/^-?\d+(\.\d+)?$/.test(decimal)) throw new Error(`"${decimal}" is not a decimal number`);
  const places = decimal.split('.')[1]?.length ?? 0;
  if (places > 12) throw new Error(`"${decimal}" has ${places} decimals; Derive takes at most 12`);
  return parseUnits(decimal, 18);
}

export interface TradeData {
  /** The option's or perp's `base_asset_address` and `base_asset_sub_id`. */
  asset: string;
  subId: bigint;
  /** Wire decimals, exactly as sent: the bytes signed are derived from the same strings. */
  limitPrice: string;
  amount: string;
  /** Most fee per unit the order may pay, USDC. */
  maxFee: string;
  recipientSubaccountId: bigint;
  isBid: boolean;
}

export function encodeTradeData(t: TradeData): string {
  return abi.encode(['address', 'uint256', 'int256', 'int256', 'uint256', 'uint256', 'bool'], [t.asset, t.subId, e18(t.limitPrice), e18(t.amount), e18(t.maxFee), t.recipientSubaccountId, t.isBid]);
}

export function decodeTradeData(data: string): { asset: string; subId: bigint; limitPrice: bigint; amount: bigint; maxFee: bigint; recipientSubaccountId: bigint; isBid: boolean } {
  const [asset, subId, limitPrice, amount, maxFee, recipientSubaccountId, isBid] = abi.decode(['address', 'uint256', 'int256', 'int256', 'uint256', 'uint256', 'bool'], data) as unknown as [string, bigint, bigint, bigint, bigint, bigint, boolean];
  return { asset, subId, limitPrice, amount, maxFee, recipientSubaccountId, isBid };
}

export interface SessionKeyData {
  sessionKey: string;
  expirySec: bigint;
  scopes: readonly SessionScope[];
  /** Empty: every subaccount of the owner. */
  subaccountIds: readonly bigint[];
}

export function encodeSessionKeyData(s: SessionKeyData): string {
  return abi.encode(['address', 'uint256', 'uint256[]', 'uint256[]'], [s.sessionKey, s.expirySec, s.scopes.map((x) => BigInt(SCOPE_CODES[x])), [...s.subaccountIds]]);
}

export function decodeSessionKeyData(data: string): { sessionKey: string; expirySec: bigint; scopeCodes: number[]; subaccountIds: bigint[] } {
  const [sessionKey, expirySec, codes, subs] = abi.decode(['address', 'uint256', 'uint256[]', 'uint256[]'], data) as unknown as [string, bigint, bigint[], bigint[]];
  return { sessionKey, expirySec, scopeCodes: [...codes].map(Number), subaccountIds: [...subs] };
}

export function actionHash(a: DeriveAction): string {
  return keccak256(abi.encode(['bytes32', 'uint256', 'uint256', 'address', 'bytes32', 'uint256', 'address', 'address'], [ACTION_TYPEHASH, a.subaccountId, a.nonce, a.module, keccak256(a.data), a.expiry, a.owner, a.signer]));
}

/** The digest the signer signs: keccak256(0x1901 ‖ domain separator ‖ action hash). */
export function typedDataHash(separator: string, a: DeriveAction): string {
  return keccak256(concat(['0x1901', separator, actionHash(a)]));
}

/** The action as EIP-712 typed data, for a signer (local key or Ledger) that signs typed data. */
export function actionTypedData(chainId: number, a: DeriveAction): TypedDataPayload {
  return {
    domain: deriveDomain(chainId),
    types: ACTION_TYPES,
    primaryType: 'Action',
    message: { subaccountId: a.subaccountId.toString(), nonce: a.nonce.toString(), module: a.module, data: a.data, expiry: a.expiry.toString(), owner: a.owner, signer: a.signer },
  };
}

/** Who signed an action, from its 65-byte signature, under a domain separator. */
export function recoverActionSigner(separator: string, a: DeriveAction, signature: string): string {
  return recoverAddress(typedDataHash(separator, a), Signature.from(signature));
}

/** A v3 nonce: UTC nanoseconds, the sub-millisecond digits random so two actions in one ms differ. */
export function actionNonce(nowMs: number, random: () => number = Math.random): bigint {
  return BigInt(Math.floor(nowMs)) * 1_000_000n + BigInt(Math.floor(random() * 1_000_000));
}

/** `public/login` and private HTTP headers: an EIP-191 signature of the ms timestamp as a decimal string. */
export function loginMessage(timestampMs: number): string {
  return String(Math.floor(timestampMs));
}

export function loginDigest(timestampMs: number): string {
  return hashMessage(loginMessage(timestampMs));
}

export function recoverLoginSigner(timestampMs: number, signature: string): string {
  return getAddress(verifyMessage(loginMessage(timestampMs), signature));
}
