import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/*
 * The vault's cryptography, all from Node's OpenSSL binding:
 * - scrypt turns the passphrase into a wrapping key. The async call runs on libuv's thread pool,
 *   so unlocking never blocks the main process's event loop (the window stays responsive).
 * - AES-256-GCM seals the random data key and each private key; the associated data binds every
 *   ciphertext to its record, so swapping records or editing an address is detected, not obeyed.
 */

export interface ScryptParams {
  name: 'scrypt';
  /** CPU/memory cost, a power of two; the default matches ethers' keystore (2^17, 128 MiB). */
  N: number;
  r: number;
  p: number;
  /** 32 random bytes, hex. */
  salt: string;
}

export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

/** The weakest KDF a vault file may carry; a file below it is refused, never unlocked silently. */
export function meetsFloor(kdf: Pick<ScryptParams, 'N' | 'r' | 'p'>, floor: { N: number; r: number; p: number } = DEFAULT_SCRYPT): boolean {
  return kdf.N >= floor.N && kdf.r >= floor.r && kdf.p >= floor.p;
}

export interface Subkeys {
  /** Seals private keys (AES-256-GCM). */
  seal: Buffer;
  /** Authenticates the file (HMAC-SHA256). */
  mac: Buffer;
}

/** One key, one purpose: the data key itself is never used to seal or to MAC (HKDF-SHA256). */
export function deriveSubkeys(dataKey: Buffer): Subkeys {
  const derive = (info: string): Buffer => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
  return { seal: derive('deltadesk-vault-v2 seal'), mac: derive('deltadesk-vault-v2 mac') };
}

export function newScryptParams(cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT): ScryptParams {
  return { name: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: randomBytes(32).toString('hex') };
}

export function deriveWrappingKey(passphrase: string, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; leave headroom over Node's 32 MiB default. The file schema caps
  // 128·N·r at 1 GiB, so a crafted file cannot make this allocate more.
  const maxmem = 256 * params.N * params.r + 16 * 2 ** 20;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFKC'), Buffer.from(params.salt, 'hex'), 32, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('hex'), tag: cipher.getAuthTag().toString('hex'), data: data.toString('hex') };
}

/** Opens a sealed record, or returns null when the key is wrong or the record was altered. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'hex'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'hex'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'hex')), decipher.final()]);
  } catch {
    return null;
  }
}

export function mac(key: Buffer, label: string, content: string): string {
  return createHmac('sha256', key).update(`${label}\n${content}`).digest('hex');
}

export function macMatches(key: Buffer, label: string, content: string, expected: string): boolean {
  const actual = Buffer.from(mac(key, label, content), 'hex');
  const wanted = Buffer.from(expected, 'hex');
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}
