/** EIP-712 typed data as signers take it; `types` leaves out EIP712Domain (the domain says it). */
export interface TypedDataPayload {
  domain: { name: string; version: string; chainId: number; verifyingContract: string };
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}
