import { z } from 'zod';
import { OutcomeUnknown } from '../common/execution.ts';
import type { WireSignature } from './signing.ts';

/** The venue answers 200 with `status: "err"` and a message for most refusals. */
const responseSchema = z.union([
  z.object({ status: z.literal('ok'), response: z.unknown() }),
  z.object({ status: z.literal('err'), response: z.string() }),
]);
export type ExchangeResponse = z.infer<typeof responseSchema>;

export interface SignedEnvelope {
  action: Record<string, unknown>;
  nonce: number;
  signature: WireSignature;
  vaultAddress?: string | null;
  expiresAfter?: number | null;
}

/**
 * POST /exchange with a signed action; a transport or format problem is thrown with the reason.
 * When the action may have been carried out without our hearing (no answer, a dropped
 * connection, a 5xx, an answer we cannot read) the error is OutcomeUnknown: nothing may be sent
 * again for it before the venue is asked.
 */
export async function postExchange(httpUrl: string, envelope: SignedEnvelope, timeoutMs = 10_000): Promise<ExchangeResponse> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${httpUrl.replace(/\/$/, '')}/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    throw new OutcomeUnknown(`Hyperliquid did not answer /exchange (${(err as Error).message})`);
  }
  if (res.status >= 500) throw new OutcomeUnknown(`Hyperliquid /exchange answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  if (!res.ok) throw new Error(`Hyperliquid /exchange answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OutcomeUnknown(`Hyperliquid /exchange answered something that is not JSON: ${text.slice(0, 120)}`);
  }
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) throw new OutcomeUnknown(`Hyperliquid /exchange answered an unexpected shape: ${text.slice(0, 120)}`);
  return parsed.data;
}

/**
 * Paper only: asks the simulated venue for its one-time paper deposit to `user`, as a trader
 * claims mock USDC from the testnet faucet, so their own master can approve an agent and trade.
 * The real venue has no such path; nothing calls this outside paper mode.
 */
export async function claimPaperFunds(httpUrl: string, user: string, timeoutMs = 5_000): Promise<number> {
  const res = await fetch(`${httpUrl.replace(/\/$/, '')}/_sim/faucet`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }), signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`the paper venue refused the paper deposit: HTTP ${res.status}`);
  const body = z.object({ credited: z.number() }).safeParse(await res.json());
  if (!body.success) throw new Error('the paper venue answered the paper deposit in a shape DeltaDesk cannot read');
  return body.data.credited;
}
