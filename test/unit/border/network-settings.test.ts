import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NetworkSettings } from '../../../electron/border/network-settings.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-networks-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the network settings', () => {
  it('start on paper, save a change, and read it back', async () => {
    const s = new NetworkSettings(dir);
    expect(await s.load()).toEqual({ hyperliquid: 'paper', deribit: 'paper', derive: 'paper' });
    expect(await s.set({ hyperliquid: 'testnet', deribit: 'paper', derive: 'paper' }, null)).toEqual({ changed: true });
    expect(JSON.parse(await readFile(path.join(dir, 'networks.json'), 'utf8'))).toEqual({ hyperliquid: 'testnet', deribit: 'paper', derive: 'paper' });
    expect(await new NetworkSettings(dir).load()).toEqual({ hyperliquid: 'testnet', deribit: 'paper', derive: 'paper' });
    expect(await s.set({ hyperliquid: 'testnet', deribit: 'paper', derive: 'paper' }, null)).toEqual({ changed: false });
  });

  it('refuse mainnet without the typed word, and take it with it; leaving mainnet needs none', async () => {
    const s = new NetworkSettings(dir);
    await s.load();
    await expect(s.set({ hyperliquid: 'mainnet', deribit: 'paper', derive: 'paper' }, null)).rejects.toThrow('moving hyperliquid to mainnet trades real money: type MAINNET to confirm');
    await expect(s.set({ hyperliquid: 'mainnet', deribit: 'mainnet', derive: 'paper' }, 'mainnet')).rejects.toThrow('moving hyperliquid and deribit to mainnet');
    await expect(s.set({ hyperliquid: 'mainnet', deribit: 'mainnet', derive: 'mainnet' }, null)).rejects.toThrow('moving hyperliquid, deribit and derive to mainnet');
    expect(s.current).toEqual({ hyperliquid: 'paper', deribit: 'paper', derive: 'paper' });
    await s.set({ hyperliquid: 'mainnet', deribit: 'paper', derive: 'paper' }, 'MAINNET');
    // Already on mainnet: changing the other venue asks only for what moves onto it.
    await s.set({ hyperliquid: 'mainnet', deribit: 'testnet', derive: 'testnet' }, null);
    await s.set({ hyperliquid: 'paper', deribit: 'paper', derive: 'paper' }, null);
    expect(s.current).toEqual({ hyperliquid: 'paper', deribit: 'paper', derive: 'paper' });
  });

  it('Derive has its own switch; a file from before it had one puts Derive on Deribit’s network', async () => {
    await writeFile(path.join(dir, 'networks.json'), '{"hyperliquid":"paper","deribit":"testnet"}');
    const s = new NetworkSettings(dir);
    expect(await s.load()).toEqual({ hyperliquid: 'paper', deribit: 'testnet', derive: 'testnet' });
    expect(s.describe().notice).toBeNull();
    expect(await s.set({ hyperliquid: 'paper', deribit: 'testnet', derive: 'paper' }, null)).toEqual({ changed: true });
    expect(JSON.parse(await readFile(path.join(dir, 'networks.json'), 'utf8'))).toEqual({ hyperliquid: 'paper', deribit: 'testnet', derive: 'paper' });
    await expect(s.set({ hyperliquid: 'paper', deribit: 'testnet', derive: 'mainnet' }, null)).rejects.toThrow('moving derive to mainnet trades real money: type MAINNET to confirm');
  });

  it('a damaged file falls back to paper, says so, and is kept', async () => {
    await writeFile(path.join(dir, 'networks.json'), '{"hyperliquid":"mainnet","deribit":"moon"}');
    const s = new NetworkSettings(dir);
    expect(await s.load()).toEqual({ hyperliquid: 'paper', deribit: 'paper', derive: 'paper' });
    expect(s.describe().notice).toMatch(/^networks\.json could not be used \(unexpected content: .*deribit.*\); every venue is on paper; the file was kept as networks\.json\.damaged-/);
    expect((await readdir(dir)).some((f) => f.startsWith('networks.json.damaged-'))).toBe(true);
  });
});
