import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
import { readAaveTx, type AaveGuardConfig } from '../../../electron/vault/guard/aave-tx.ts';
import type { AaveTxRequest } from '../../../electron/engine/host-protocol.ts';

/*
 * What main refuses to sign for Aave, read from the transaction itself: anything but approve to
 * the pool, supply or repay on behalf of the signer, of a listed reserve, on the market's chain,
 * within the fee cap. Each refusal says why. (Valued supplies are covered against the real
 * contracts in the integration test.)
 */
const POOL = '0x1111111111111111111111111111111111111111';
const WETH = '0x2222222222222222222222222222222222222222';
const FROM = '0x3333333333333333333333333333333333333333';
const OTHER = '0x4444444444444444444444444444444444444444';
const config: AaveGuardConfig = { rpcUrl: 'http://127.0.0.1:9', chainId: 31337, pool: POOL, oracle: '0x5555555555555555555555555555555555555555', reserves: [{ symbol: 'WETH', address: WETH, decimals: 18 }] };
const pool = new Interface(['function supply(address,uint256,address,uint16)', 'function borrow(address,uint256,uint256,uint16,address)', 'function withdraw(address,uint256,address)', 'function repay(address,uint256,uint256,address)']);
const erc20 = new Interface(['function approve(address,uint256)', 'function transfer(address,uint256)']);
const req = (to: string, data: string, over: Partial<AaveTxRequest['tx']> = {}): AaveTxRequest => ({
  venue: 'aave',
  kind: 'tx',
  from: FROM,
  purpose: 'top-up',
  tx: { chainId: 31337, to, data, nonce: 0, gasLimit: '300000', maxFeePerGas: String(30e9), maxPriorityFeePerGas: String(1e9), value: '0', ...over },
});

describe('the Aave transaction guard', () => {
  it('refuses what would lower the health factor or move funds elsewhere, in words', async () => {
    const cases: [AaveTxRequest, RegExp][] = [
      [req(POOL, pool.encodeFunctionData('borrow', [WETH, 1n, 2n, 0, FROM])), /only supply and repay are signed on the Aave pool \(borrow lowers the health factor; withdraw only for the kill switch, with no debt left\)/],
      [req(POOL, pool.encodeFunctionData('withdraw', [WETH, 1n, FROM])), /a withdraw is signed only for the kill switch/],
      [{ ...req(POOL, pool.encodeFunctionData('withdraw', [WETH, 1n, OTHER])), purpose: 'flatten' }, /the withdraw pays 0x4444444444444444444444444444444444444444, not the signer/],
      // With nothing to read the debt from, no withdraw is signed.
      [{ ...req(POOL, pool.encodeFunctionData('withdraw', [WETH, 1n, FROM])), purpose: 'flatten' }, /cannot read the account's debt/],
      [req(POOL, pool.encodeFunctionData('supply', [WETH, 10n ** 18n, OTHER, 0])), /on behalf of 0x4444…|on behalf of 0x4444444444444444444444444444444444444444, not the signer/],
      [req(POOL, pool.encodeFunctionData('supply', [OTHER, 1n, FROM, 0])), /is not a listed reserve/],
      [req(POOL, pool.encodeFunctionData('supply', [WETH, 2n ** 256n - 1n, FROM, 0])), /an unlimited supply amount is not signed/],
      [req(WETH, erc20.encodeFunctionData('approve', [OTHER, 1n])), /approve names 0x4444444444444444444444444444444444444444 as spender, not the Aave pool/],
      [req(WETH, erc20.encodeFunctionData('transfer', [OTHER, 1n])), /only approve is signed on the WETH token/],
      [req(OTHER, '0x'), /neither the Aave pool nor a listed reserve/],
      [req(POOL, pool.encodeFunctionData('supply', [WETH, 1n, FROM, 0]), { chainId: 1 }), /for chain 1, the Aave market is on 31337/],
      [req(POOL, pool.encodeFunctionData('supply', [WETH, 1n, FROM, 0]), { value: '1' }), /sends no ether/],
      [req(POOL, pool.encodeFunctionData('supply', [WETH, 1n, FROM, 0]), { maxFeePerGas: String(400e9) }), /400\.0 gwei is above the 300 gwei cap/],
    ];
    for (const [r, why] of cases) expect(await readAaveTx(r, config)).toMatch(why);
    expect(await readAaveTx(req(POOL, '0x'), null)).toMatch(/no Aave market is known/);
  });

  it('an approve of a listed reserve to the pool moves nothing by itself', async () => {
    const read = await readAaveTx(req(WETH, erc20.encodeFunctionData('approve', [POOL, 5n * 10n ** 18n])), config);
    expect(typeof read).toBe('object');
    expect(typeof read !== 'string' && read.action).toEqual({ kind: 'no-exposure', what: 'approve 5 WETH to the Aave pool' });
  });

  it('a supply it cannot value (the oracle is down) is refused, never signed at a guessed price', async () => {
    expect(await readAaveTx(req(POOL, pool.encodeFunctionData('supply', [WETH, 10n ** 18n, FROM, 0])), config)).toMatch(/cannot value the supply: the oracle could not be read/);
  });
});
