import { createRequire } from 'node:module';
import { decodeRlp, getAddress, hashMessage, HDNodeWallet, keccak256, SigningKey } from 'ethers';
import type TransportType from '@ledgerhq/hw-transport';

/*
 * A small APDU-level model of Ledger's Ethereum app (app-ethereum doc/ethapp.adoc), enough to run
 * the real hw-app-eth code end to end: GET APP CONFIGURATION, GET ETH PUBLIC ADDRESS, SIGN ETH
 * TRANSACTION (chunked), SIGN PERSONAL MESSAGE (chunked), SIGN EIP-712 (v0: the two hashes). It
 * derives keys from a known test phrase and signs for real, so tests verify signatures by
 * recovery instead of trusting whatever bytes come back. Device conditions (locked, app closed,
 * blind signing off, the trader rejecting) answer with the status words the real app sends.
 */
const require = createRequire(import.meta.url);
const Transport = (require('@ledgerhq/hw-transport') as { default: typeof TransportType }).default;

export const EMULATOR_PHRASE = 'test test test test test test test test test test test junk';

export interface EmulatorSettings {
  locked: boolean;
  appOpen: boolean;
  blindSigning: boolean;
  /** What the trader does when asked to approve. */
  user: 'approve' | 'reject';
  /** Milliseconds the trader takes to press the button. */
  reviewMs: number;
  unplugged: boolean;
}

const SW_OK = 0x9000;

export class LedgerEmulator extends Transport {
  settings: EmulatorSettings = { locked: false, appOpen: true, blindSigning: true, user: 'approve', reviewMs: 0, unplugged: false };
  /** Every APDU received, hex, for assertions on framing. */
  readonly log: string[] = [];
  /** What the screen showed for the last review (the hashes for EIP-712, like the device). */
  lastReview: string[] = [];
  private pending: { ins: number; path: number[]; data: Buffer; expected: number | null } | null = null;

  /** Exchanges in hw-transport-mocker's record format (`=> apdu` / `<= response`). */
  readonly trace: string[] = [];

  override async exchange(apdu: Buffer): Promise<Buffer> {
    const response = await this.answer(apdu);
    this.trace.push(`=> ${apdu.toString('hex')}`, `<= ${response.toString('hex')}`);
    return response;
  }

  private async answer(apdu: Buffer): Promise<Buffer> {
    if (this.settings.unplugged) throw Object.assign(new Error('device disconnected'), { name: 'DisconnectedDevice' });
    this.log.push(apdu.toString('hex'));
    const [cla, ins, p1, p2, lc] = apdu;
    const data = apdu.subarray(5, 5 + (lc ?? 0));
    if (this.settings.locked) return status(0x5515);
    if (!this.settings.appOpen) return status(0x6e01);
    if (cla !== 0xe0) return status(0x6e00);
    switch (ins) {
      case 0x06:
        return reply(Buffer.from([this.settings.blindSigning ? 0x01 : 0x00, 1, 12, 0]));
      case 0x02: {
        const { path } = readPath(data);
        const wallet = this.wallet(path);
        if (p1 === 0x01 && !(await this.review([`Address ${wallet.address}`]))) return status(0x6985);
        const pub = Buffer.from(SigningKey.computePublicKey(wallet.publicKey, false).slice(2), 'hex');
        const addr = Buffer.from(getAddress(wallet.address).slice(2), 'ascii');
        const chain = p2 === 0x01 ? Buffer.from(wallet.chainCode.slice(2), 'hex') : Buffer.alloc(0);
        return reply(Buffer.concat([Buffer.from([pub.length]), pub, Buffer.from([addr.length]), addr, chain]));
      }
      case 0x04:
        return this.signTransactionChunk(p1 ?? 0, data);
      case 0x08:
        return this.signPersonalChunk(p1 ?? 0, data);
      case 0x0c: {
        if (p2 !== 0x00) return status(0x6d00);
        const { path, rest } = readPath(data);
        if (rest.length !== 64) return status(0x6a80);
        // Recent app versions count signing EIP-712 by its hashes as blind signing.
        if (!this.settings.blindSigning) return status(0x6a80);
        const domain = rest.subarray(0, 32);
        const message = rest.subarray(32, 64);
        if (!(await this.review([`Domain hash ${domain.toString('hex')}`, `Message hash ${message.toString('hex')}`]))) return status(0x6985);
        const digest = keccak256(Buffer.concat([Buffer.from([0x19, 0x01]), domain, message]));
        return this.signature(path, digest, 27);
      }
      default:
        return status(0x6d00);
    }
  }

  private async signTransactionChunk(p1: number, data: Buffer): Promise<Buffer> {
    if (p1 === 0x00) {
      const { path, rest } = readPath(data);
      this.pending = { ins: 0x04, path, data: Buffer.from(rest), expected: null };
    } else if (this.pending?.ins === 0x04) {
      this.pending.data = Buffer.concat([this.pending.data, data]);
    } else {
      return status(0x6a80);
    }
    const tx = this.pending;
    tx.expected ??= rlpTransactionLength(tx.data);
    if (tx.expected === null || tx.data.length < tx.expected) return reply(Buffer.alloc(0));
    this.pending = null;
    const typed = tx.data[0]! < 0x7f;
    const fields = decodeRlp(typed ? tx.data.subarray(1) : tx.data) as string[];
    const dataField = fields[typed ? (tx.data[0] === 2 ? 7 : 6) : 5] ?? '0x';
    if (dataField !== '0x' && !this.settings.blindSigning) return status(0x6a80);
    if (!(await this.review([`Transaction ${keccak256(tx.data)}`]))) return status(0x6985);
    const digest = keccak256(tx.data);
    if (typed) return this.signature(tx.path, digest, 0);
    // Legacy: v = chainId·2 + 35 + parity, keeping one byte, on the chain id's first 4 bytes.
    const chainHex = (fields[6] ?? '0x').slice(2) || '00';
    const chainId = Number.parseInt(chainHex.padStart(chainHex.length + (chainHex.length % 2), '0').slice(0, 8), 16);
    return this.signature(tx.path, digest, chainId * 2 + 35);
  }

  private async signPersonalChunk(p1: number, data: Buffer): Promise<Buffer> {
    if (p1 === 0x00) {
      const { path, rest } = readPath(data);
      this.pending = { ins: 0x08, path, data: Buffer.from(rest.subarray(4)), expected: rest.readUInt32BE(0) };
    } else if (this.pending?.ins === 0x08) {
      this.pending.data = Buffer.concat([this.pending.data, data]);
    } else {
      return status(0x6a80);
    }
    const msg = this.pending;
    if (msg.data.length < (msg.expected ?? 0)) return reply(Buffer.alloc(0));
    this.pending = null;
    if (!(await this.review([`Message ${msg.data.toString('utf8')}`]))) return status(0x6985);
    return this.signature(msg.path, hashMessage(msg.data), 27);
  }

  private async review(screens: string[]): Promise<boolean> {
    this.lastReview = screens;
    if (this.settings.reviewMs > 0) await new Promise((r) => setTimeout(r, this.settings.reviewMs));
    return this.settings.user === 'approve';
  }

  private signature(path: number[], digest: string, vBase: number): Buffer {
    const sig = new SigningKey(this.wallet(path).privateKey).sign(digest);
    const v = (vBase + sig.yParity) & 0xff;
    return reply(Buffer.concat([Buffer.from([v]), Buffer.from(sig.r.slice(2), 'hex'), Buffer.from(sig.s.slice(2), 'hex')]));
  }

  private wallet(path: number[]): HDNodeWallet {
    const text = `m/${path.map((i) => (i >= 0x80000000 ? `${i - 0x80000000}'` : String(i))).join('/')}`;
    return HDNodeWallet.fromPhrase(EMULATOR_PHRASE, undefined, text);
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }
}

function readPath(data: Buffer): { path: number[]; rest: Buffer } {
  const count = data[0] ?? 0;
  const path: number[] = [];
  for (let i = 0; i < count; i++) path.push(data.readUInt32BE(1 + i * 4));
  return { path, rest: data.subarray(1 + count * 4) };
}

/** Total byte length of the transaction from its RLP list header (plus the type byte), or null. */
function rlpTransactionLength(buf: Buffer): number | null {
  const typed = buf.length > 0 && buf[0]! < 0x7f;
  const at = typed ? 1 : 0;
  const head = buf[at];
  if (head === undefined) return null;
  if (head >= 0xc0 && head <= 0xf7) return at + 1 + (head - 0xc0);
  if (head > 0xf7) {
    const n = head - 0xf7;
    if (buf.length < at + 1 + n) return null;
    return at + 1 + n + buf.readUIntBE(at + 1, n);
  }
  return null;
}

function reply(data: Buffer): Buffer {
  return Buffer.concat([data, sw(SW_OK)]);
}

function status(code: number): Buffer {
  return sw(code);
}

function sw(code: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return b;
}
