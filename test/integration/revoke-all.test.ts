import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTradingRig, type TradingRig } from '../support/trading-rig.ts';

/*
 * Revoke-all (issue "Kill switch", item 5) against the Hyperliquid simulator: the agent's slot at
 * the venue goes to a burned address, so the old agent can no longer sign for the master; its key
 * is gone from the vault, and the vault is locked, so nothing else signs either.
 */
const PASS = 'orbit-canvas-tulip-87-ledger';
let rig: TradingRig;

beforeAll(async () => {
  rig = await startTradingRig(151, 'dd-revoke-');
}, 30_000);
afterAll(() => rig.close());

describe('revoke all agents', () => {
  it('a wrong passphrase revokes nothing; the right one burns every slot, deletes the keys and locks the vault', async () => {
    const agentsHere = () => rig.host.vault.describe().keys.filter((k) => k.role === 'agent');
    const old = agentsHere().map((k) => k.address.toLowerCase());
    expect(old).toHaveLength(1);
    expect(rig.server.exchange.agents(rig.master).map((a) => a.address)).toEqual(old);
    await expect(rig.host.signing.revokeAll({ kind: 'passphrase', passphrase: 'not-the-passphrase-at-all' })).rejects.toThrow();
    expect(rig.server.exchange.agents(rig.master).map((a) => a.address)).toEqual(old);
    const result = await rig.host.signing.revokeAll({ kind: 'passphrase', passphrase: PASS });
    expect(result.failed).toEqual([]);
    expect(result.revoked).toHaveLength(1);
    const now = rig.server.exchange.agents(rig.master);
    expect(now).toHaveLength(1);
    expect(now[0]!.name).toBe('desk');
    expect(now[0]!.address).not.toBe(old[0]);
    expect(rig.host.vault.isUnlocked).toBe(false);
    // Nothing in the vault holds the burned address's key, and the old agent is gone from it.
    await rig.host.vault.unlock(PASS);
    expect(agentsHere()).toEqual([]);
    expect(rig.host.vault.describe().keys.some((k) => k.address.toLowerCase() === now[0]!.address)).toBe(false);
    const signed = await rig.host.signing.signForEngine({ venue: 'hyperliquid', action: { type: 'order', orders: [{ a: 0, b: true, p: '1000', s: '0.01', r: false, t: { limit: { tif: 'Gtc' } } }], grouping: 'na' }, purpose: 'manual' });
    expect(signed.ok ? 'signed' : signed.error.message).toMatch(/no approved Hyperliquid agent/);
  }, 20_000);
});
