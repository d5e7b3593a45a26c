import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import { ROW_STRIDE } from '../domain/options.ts';
import { isWellFormedPackedBook } from './packed-book.ts';
import type { StreamFrame } from './frame.ts';

/**
 * Frames travel as msgpack with one extension: Float64Array is sent as its raw bytes.
 * The same bytes go over Electron's MessagePort and over the browser bridge's WebSocket, so both
 * hosts decode identically. Byte order is the machine's (little-endian on every platform we ship).
 */
const FLOAT64_ARRAY_EXT = 1;

const codec = new ExtensionCodec();
codec.register({
  type: FLOAT64_ARRAY_EXT,
  encode: (value: unknown) =>
    value instanceof Float64Array ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null,
  decode: (data: Uint8Array) => {
    if (data.byteLength % 8 !== 0) throw new StreamDecodeError('packed array length is not a multiple of 8 bytes');
    // Copy: the slice inside the message is not 8-byte aligned.
    return new Float64Array(data.slice().buffer);
  },
});

const encoder = new Encoder({ extensionCodec: codec, ignoreUndefined: true });
const decoder = new Decoder({ extensionCodec: codec });

export class StreamDecodeError extends Error {
  override name = 'StreamDecodeError';
}

/** Returns a buffer of exactly the frame's size, owned by the caller (safe to transfer). */
export function encodeFrame(frame: StreamFrame): Uint8Array {
  return encoder.encode(frame);
}

/** Decodes and checks the frame's shape; a frame that fails is rejected whole with a reason. */
export function decodeFrame(bytes: Uint8Array): StreamFrame {
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (err) {
    throw new StreamDecodeError(`stream frame is not valid msgpack: ${(err as Error).message}`);
  }
  assertFrame(value);
  return value;
}

function assertFrame(v: unknown): asserts v is StreamFrame {
  if (typeof v !== 'object' || v === null) throw new StreamDecodeError('stream frame: expected an object');
  const f = v as Record<string, unknown>;
  if (typeof f.seq !== 'number') throw new StreamDecodeError('stream frame: seq: expected a number');
  if (typeof f.time !== 'number') throw new StreamDecodeError('stream frame: time: expected a number');
  for (const key of ['books', 'trades', 'candles'] as const) {
    if (!Array.isArray(f[key])) throw new StreamDecodeError(`stream frame: ${key}: expected an array`);
  }
  if (typeof f.mids !== 'object' || f.mids === null) throw new StreamDecodeError('stream frame: mids: expected an object');
  for (const key of ['groupedBooks', 'hedgeDrafts'] as const) if (f[key] !== undefined && !Array.isArray(f[key])) throw new StreamDecodeError(`stream frame: ${key}: expected an array`);
  for (const key of ['books', 'groupedBooks'] as const) {
    ((f[key] ?? []) as unknown[]).forEach((b, i) => {
      const book = b as Record<string, unknown>;
      if (typeof book.instrumentId !== 'string') throw new StreamDecodeError(`stream frame: ${key}[${i}].instrumentId: expected a string`);
      if (!(book.levels instanceof Float64Array) || !isWellFormedPackedBook(book.levels)) {
        throw new StreamDecodeError(`stream frame: ${key}[${i}].levels: malformed packed book`);
      }
      if (key === 'groupedBooks' && !(typeof book.step === 'number' && book.step > 0 && Number.isFinite(book.step))) {
        throw new StreamDecodeError(`stream frame: groupedBooks[${i}].step: expected a positive price step`);
      }
    });
  }
  if (f.optionRows !== undefined && (!(f.optionRows instanceof Float64Array) || f.optionRows.length % ROW_STRIDE !== 0)) {
    throw new StreamDecodeError(`stream frame: optionRows: expected a Float64Array of whole rows (${ROW_STRIDE} numbers each)`);
  }
}
