/** A vault refusal the trader can act on; `code` maps onto the border's error codes. */
export class VaultError extends Error {
  override name = 'VaultError';
  readonly code: 'invalid-request' | 'locked' | 'refused' | 'unavailable';

  constructor(code: VaultError['code'], message: string) {
    super(message);
    this.code = code;
  }
}
