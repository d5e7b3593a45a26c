import { z } from 'zod';
import { describeIssues } from '../../../shared/contract/validate.ts';
import { wireClearinghouseState, type WireClearinghouseState } from './account.ts';
import { wireCandle, wireMeta, type WireMeta } from './wire-schemas.ts';

export class VenueRequestError extends Error {
  override name = 'VenueRequestError';
}

/** POST /info with a timeout; the answer is validated before anyone uses it. */
export class HyperliquidInfoClient {
  private readonly httpUrl: string;
  private readonly timeoutMs: number;

  constructor(httpUrl: string, timeoutMs = 10_000) {
    this.httpUrl = httpUrl;
    this.timeoutMs = timeoutMs;
  }

  async meta(): Promise<WireMeta> {
    return this.query({ type: 'meta' }, wireMeta);
  }

  async candles(coin: string, interval: string, startTime: number, endTime: number): Promise<z.infer<typeof wireCandle>[]> {
    return this.query({ type: 'candleSnapshot', req: { coin, interval, startTime, endTime } }, z.array(wireCandle));
  }

  /** Query with the master or sub-account address; an agent's address returns an empty account. */
  async clearinghouseState(user: string): Promise<WireClearinghouseState> {
    return this.query({ type: 'clearinghouseState', user, dex: '' }, wireClearinghouseState);
  }

  /** Any /info query, its answer checked against `schema`. */
  async query<T>(body: object, schema: z.ZodType<T>): Promise<T> {
    const what = `Hyperliquid /info ${(body as { type: string }).type}`;
    let res: Response;
    try {
      res = await fetch(`${this.httpUrl}/info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      throw new VenueRequestError(`${what}: ${e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : e.message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new VenueRequestError(`${what}: HTTP ${res.status}: ${text.slice(0, 200)}`);
    if (!(res.headers.get('content-type') ?? '').includes('application/json')) {
      throw new VenueRequestError(`${what}: expected JSON, got ${res.headers.get('content-type') ?? 'no content type'}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new VenueRequestError(`${what}: answer is not valid JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new VenueRequestError(`${what}: unexpected answer: ${describeIssues(parsed.error)}`);
    return parsed.data;
  }
}
