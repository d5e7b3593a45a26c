import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Contract, ContractFactory, NonceManager, Wallet, type InterfaceAbi, type JsonRpcProvider } from 'ethers';
import { evmRpc } from '../../venues/aave/evm-rpc.ts';
import type { AaveReserveRef } from '../../venues/aave/aave-reader.ts';

/*
 * A real Aave v3 (v3.0.2) market on the local EVM, deployed from the compiled artifacts Aave
 * publishes on npm (@aave/core-v3): the same Pool, PoolConfigurator, AaveOracle and tokens as
 * the live markets, in the order Aave's own deploy scripts use. Two reserves — WETH (18
 * decimals) and USDC (6) — as mintable test tokens, priced by mock Chainlink aggregators that
 * the simulator replaces to move the price (the mock has no setter; that is how Aave's own
 * tests move it). About 40 transactions, about a second.
 */

interface Artifact {
  abi: InterfaceAbi;
  bytecode: string;
  linkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
}

const ARTIFACTS: Record<string, string> = {
  PoolAddressesProvider: 'protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json',
  ACLManager: 'protocol/configuration/ACLManager.sol/ACLManager.json',
  Pool: 'protocol/pool/Pool.sol/Pool.json',
  PoolConfigurator: 'protocol/pool/PoolConfigurator.sol/PoolConfigurator.json',
  AaveProtocolDataProvider: 'misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json',
  AaveOracle: 'misc/AaveOracle.sol/AaveOracle.json',
  DefaultReserveInterestRateStrategy: 'protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json',
  AToken: 'protocol/tokenization/AToken.sol/AToken.json',
  StableDebtToken: 'protocol/tokenization/StableDebtToken.sol/StableDebtToken.json',
  VariableDebtToken: 'protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json',
  MintableERC20: 'mocks/tokens/MintableERC20.sol/MintableERC20.json',
  MockAggregator: 'mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator.json',
  BorrowLogic: 'protocol/libraries/logic/BorrowLogic.sol/BorrowLogic.json',
  BridgeLogic: 'protocol/libraries/logic/BridgeLogic.sol/BridgeLogic.json',
  ConfiguratorLogic: 'protocol/libraries/logic/ConfiguratorLogic.sol/ConfiguratorLogic.json',
  EModeLogic: 'protocol/libraries/logic/EModeLogic.sol/EModeLogic.json',
  FlashLoanLogic: 'protocol/libraries/logic/FlashLoanLogic.sol/FlashLoanLogic.json',
  LiquidationLogic: 'protocol/libraries/logic/LiquidationLogic.sol/LiquidationLogic.json',
  PoolLogic: 'protocol/libraries/logic/PoolLogic.sol/PoolLogic.json',
  SupplyLogic: 'protocol/libraries/logic/SupplyLogic.sol/SupplyLogic.json',
};

let root: string | null = null;
export function artifact(name: keyof typeof ARTIFACTS): Artifact {
  if (!root) {
    try {
      root = path.join(path.dirname(createRequire(import.meta.url).resolve('@aave/core-v3/package.json')), 'artifacts', 'contracts');
    } catch {
      throw new Error("Aave's contracts (@aave/core-v3) are not installed: run npm install (they come with the development dependencies)");
    }
  }
  return JSON.parse(readFileSync(path.join(root, ARTIFACTS[name]!), 'utf8')) as Artifact;
}

/** The bytecode with each library's address written where the compiler left its placeholder. */
function linked(a: Artifact, libraries: Record<string, string>): string {
  let code = a.bytecode.slice(2);
  for (const [file, libs] of Object.entries(a.linkReferences)) {
    for (const [lib, refs] of Object.entries(libs)) {
      const address = libraries[lib];
      if (!address) throw new Error(`library ${lib} (${file}) has no address`);
      for (const r of refs) code = code.slice(0, r.start * 2) + address.slice(2).toLowerCase() + code.slice((r.start + r.length) * 2);
    }
  }
  return `0x${code}`;
}

export interface AaveMarket {
  provider: string;
  pool: string;
  configurator: string;
  oracle: string;
  dataProvider: string;
  aclManager: string;
  weth: string;
  usdc: string;
  /** Both reserves as a reader, a writer and main's guard name them. */
  reserves: AaveReserveRef[];
  /** The account that deployed the market and administers it (the simulator's). */
  admin: string;
}

/** The local node, polled often (every deploy waits for its receipt). */
export function localProvider(url: string, chainId: number): JsonRpcProvider {
  return evmRpc(url, chainId, 20);
}

const RAY = 10n ** 27n;
const pct = (p: number): bigint => (BigInt(Math.round(p * 100)) * RAY) / 10_000n;

export async function deployAaveMarket(url: string, chainId: number, adminKey: string, prices: { weth: number; usdc: number }): Promise<AaveMarket> {
  const rpc = localProvider(url, chainId);
  const admin = new NonceManager(new Wallet(adminKey, rpc));
  const adminAddress = await admin.getAddress();
  const deploy = async (name: keyof typeof ARTIFACTS, args: unknown[] = [], libraries: Record<string, string> = {}): Promise<Contract> => {
    const a = artifact(name);
    const c = await new ContractFactory(a.abi, linked(a, libraries), admin).deploy(...args);
    await c.waitForDeployment();
    return c as Contract;
  };
  const send = async (c: Contract, method: string, ...args: unknown[]): Promise<void> => {
    const tx = (await (c[method] as (...a: unknown[]) => Promise<{ wait: () => Promise<unknown> }>)(...args));
    await tx.wait();
  };

  const provider = await deploy('PoolAddressesProvider', ['DeltaDesk paper', adminAddress]);
  await send(provider, 'setACLAdmin', adminAddress);
  const acl = await deploy('ACLManager', [await provider.getAddress()]);
  await send(provider, 'setACLManager', await acl.getAddress());
  await send(acl, 'addPoolAdmin', adminAddress);
  await send(acl, 'addEmergencyAdmin', adminAddress);

  const libs: Record<string, string> = {};
  for (const name of ['BorrowLogic', 'BridgeLogic', 'ConfiguratorLogic', 'EModeLogic', 'LiquidationLogic', 'PoolLogic', 'SupplyLogic'] as const) libs[name] = await (await deploy(name)).getAddress();
  libs.FlashLoanLogic = await (await deploy('FlashLoanLogic', [], libs)).getAddress();

  const poolImpl = await deploy('Pool', [await provider.getAddress()], libs);
  await send(poolImpl, 'initialize', await provider.getAddress());
  await send(provider, 'setPoolImpl', await poolImpl.getAddress());
  const pool = (await provider.getPool!()) as string;
  const configuratorImpl = await deploy('PoolConfigurator', [], libs);
  await send(provider, 'setPoolConfiguratorImpl', await configuratorImpl.getAddress());
  const configuratorAddress = (await provider.getPoolConfigurator!()) as string;
  const configurator = new Contract(configuratorAddress, artifact('PoolConfigurator').abi, admin);
  const dataProvider = await deploy('AaveProtocolDataProvider', [await provider.getAddress()]);
  await send(provider, 'setPoolDataProvider', await dataProvider.getAddress());

  const weth = await deploy('MintableERC20', ['Wrapped Ether', 'WETH', 18]);
  const usdc = await deploy('MintableERC20', ['USD Coin', 'USDC', 6]);
  const wethAgg = await deploy('MockAggregator', [BigInt(Math.round(prices.weth * 1e8))]);
  const usdcAgg = await deploy('MockAggregator', [BigInt(Math.round(prices.usdc * 1e8))]);
  // Prices in USD with 8 decimals, as the live markets' base currency.
  const oracle = await deploy('AaveOracle', [await provider.getAddress(), [await weth.getAddress(), await usdc.getAddress()], [await wethAgg.getAddress(), await usdcAgg.getAddress()], '0x0000000000000000000000000000000000000000', '0x0000000000000000000000000000000000000000', 10n ** 8n]);
  await send(provider, 'setPriceOracle', await oracle.getAddress());

  const strategy = await deploy('DefaultReserveInterestRateStrategy', [await provider.getAddress(), pct(80), 0n, pct(4), pct(75), pct(2), pct(75), pct(2), pct(8), pct(20)]);
  const aToken = await deploy('AToken', [pool]);
  const stable = await deploy('StableDebtToken', [pool]);
  const variable = await deploy('VariableDebtToken', [pool]);
  const reserve = (asset: string, decimals: number, symbol: string) => ({
    aTokenImpl: aToken.target,
    stableDebtTokenImpl: stable.target,
    variableDebtTokenImpl: variable.target,
    underlyingAssetDecimals: decimals,
    interestRateStrategyAddress: strategy.target,
    underlyingAsset: asset,
    treasury: adminAddress,
    incentivesController: '0x0000000000000000000000000000000000000000',
    aTokenName: `Aave ${symbol}`,
    aTokenSymbol: `a${symbol}`,
    variableDebtTokenName: `Aave variable debt ${symbol}`,
    variableDebtTokenSymbol: `variableDebt${symbol}`,
    stableDebtTokenName: `Aave stable debt ${symbol}`,
    stableDebtTokenSymbol: `stableDebt${symbol}`,
    params: '0x',
  });
  await send(configurator, 'initReserves', [reserve(await weth.getAddress(), 18, 'WETH'), reserve(await usdc.getAddress(), 6, 'USDC')]);
  // The live Ethereum market's parameters at the time of v3.0: LTV / liquidation threshold / bonus.
  await send(configurator, 'configureReserveAsCollateral', await weth.getAddress(), 8000n, 8250n, 10500n);
  await send(configurator, 'configureReserveAsCollateral', await usdc.getAddress(), 7700n, 8000n, 10450n);
  await send(configurator, 'setReserveBorrowing', await weth.getAddress(), true);
  await send(configurator, 'setReserveBorrowing', await usdc.getAddress(), true);
  rpc.destroy();
  return { provider: await provider.getAddress(), pool, configurator: configuratorAddress, oracle: await oracle.getAddress(), dataProvider: await dataProvider.getAddress(), aclManager: await acl.getAddress(), weth: await weth.getAddress(), usdc: await usdc.getAddress(), reserves: [{ symbol: 'WETH', address: await weth.getAddress(), decimals: 18 }, { symbol: 'USDC', address: await usdc.getAddress(), decimals: 6 }], admin: adminAddress };
}
