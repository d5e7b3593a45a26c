import { Interface } from 'ethers';

/*
 * The parts of Aave v3's and ERC-20's interfaces DeltaDesk calls, in one place: the engine builds
 * transactions with them, main decodes the same transactions with them before it signs. The
 * selectors are the live markets' (toolchain-wave2.md row 2d).
 */

/** The only pool calls DeltaDesk writes: both raise a health factor. */
export const POOL_TOP_UPS = new Interface(['function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode)', 'function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf)']);

/** The kill switch's last Aave step, once no debt is left: the collateral back to the owner's wallet. */
export const POOL_WITHDRAW = new Interface(['function withdraw(address asset, uint256 amount, address to)']);

export const POOL_READS = new Interface(['function getUserAccountData(address user) view returns (uint256 totalCollateralBase, uint256 totalDebtBase, uint256 availableBorrowsBase, uint256 currentLiquidationThreshold, uint256 ltv, uint256 healthFactor)']);

export const ERC20 = new Interface(['function approve(address spender, uint256 amount)', 'function allowance(address owner, address spender) view returns (uint256)', 'function balanceOf(address owner) view returns (uint256)']);

export const ORACLE = new Interface(['function getAssetPrice(address asset) view returns (uint256)', 'function BASE_CURRENCY_UNIT() view returns (uint256)']);

export const DATA_PROVIDER = new Interface([
  'function getUserReserveData(address asset, address user) view returns (uint256 currentATokenBalance, uint256 currentStableDebt, uint256 currentVariableDebt, uint256 principalStableDebt, uint256 scaledVariableDebt, uint256 stableBorrowRate, uint256 liquidityRate, uint40 stableRateLastUpdated, bool usageAsCollateralEnabled)',
]);

/** The most an Aave transaction bids per gas, gwei: the writer's cap unless a rule says less, and main's ceiling when it signs (a top-up in a gas spike waits). */
export const MAX_FEE_GWEI = 300;
