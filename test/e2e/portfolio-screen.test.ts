import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { positionRisk } from '../../electron/engine/risk/portfolio.ts';
import { cellValue, formatCell } from '../../renderer/src/features/portfolio/ladder-model.ts';
import { LADDER_FIELDS, type LadderField, type LadderInputs, type LadderSnapshot } from '../../shared/domain/portfolio.ts';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';

let app: RunningApp;
let browser: BrowserSession;
let page: Page;

interface ShownLadder {
  underlying: string;
  computedAt: number;
  unit: 'usd' | 'coin';
  prices: string[];
  cells: { row: number; field: LadderField; text: string }[];
}

/** Everything the ladder shows, read in one go so it is one consistent render. */
function readLadder(): Promise<ShownLadder> {
  return page.evaluate(() => {
    const table = document.querySelector<HTMLElement>('.ladder-table')!;
    const rows = [...table.querySelectorAll<HTMLElement>('.ladder-row[data-row]')];
    return {
      underlying: table.dataset.underlying!,
      computedAt: Number(table.dataset.computedAt),
      unit: document.querySelector('.ladder .panel-header [role="radio"][aria-checked="true"]')!.textContent === 'PnL $' ? ('usd' as const) : ('coin' as const),
      prices: rows.map((r) => r.querySelector('.price')!.textContent.replace(/LIQ|CALL/g, '')),
      cells: rows.flatMap((r) => [...r.querySelectorAll<HTMLElement>('[data-field]')].map((c) => ({ row: Number(r.dataset.row), field: c.dataset.field as LadderField, text: c.textContent }))),
    };
  });
}

/** The ladder recomputed from the engine's inputs with the pricing core, position by position. */
function recompute(inputs: LadderInputs, prices: number[]): LadderSnapshot {
  const { spot, spec, computedAt, numeraire } = inputs;
  const value = (price: number, volPoints: number, days: number) => {
    let v = 0;
    const g = { deltaCoin: 0, gammaCoin: 0, vegaUsd: 0, thetaUsd: 0 };
    for (const p of inputs.positions) {
      const r = positionRisk({ ...p, underlying: spec.underlying }, { spot }, computedAt, { spot: price / spot - 1, volPoints, days }, numeraire);
      // PnL in coin is the USD value at that price ÷ the price.
      v += numeraire === 'usd' ? r.valueUsd : r.valueUsd / price;
      g.deltaCoin += r.deltaCoin;
      g.gammaCoin += r.gammaCoin;
      g.vegaUsd += r.vegaUsd;
      g.thetaUsd += r.thetaUsd;
    }
    return { v, g };
  };
  const base = value(spot, 0, 0).v;
  const columns = Object.fromEntries(LADDER_FIELDS.map((f) => [f, new Float64Array(prices.length)])) as LadderSnapshot['columns'];
  prices.forEach((price, i) => {
    const at = value(price, spec.volShift, spec.days);
    columns.pnl[i] = at.v - base;
    columns.pnlVolDown[i] = value(price, spec.volShift - spec.volStep, spec.days).v - base;
    columns.pnlVolUp[i] = value(price, spec.volShift + spec.volStep, spec.days).v - base;
    columns.deltaCoin[i] = at.g.deltaCoin;
    columns.gammaCoin[i] = at.g.gammaCoin;
    columns.vegaUsd[i] = at.g.vegaUsd;
    columns.thetaUsd[i] = at.g.thetaUsd;
  });
  return { spec, computedAt, spot, numeraire, prices: Float64Array.from(prices), columns } as LadderSnapshot;
}

/** Asserts every displayed cell equals the independent recomputation, formatted the same way. */
async function expectLadderMatchesEngine(): Promise<ShownLadder> {
  for (let attempt = 0; ; attempt++) {
    const shown = await readLadder();
    const r = await app.command('portfolio.ladderInputs', { underlying: shown.underlying, computedAt: shown.computedAt });
    // The engine keeps the last few seconds of inputs; a page read just as they rolled over retries.
    if (!r.ok && attempt < 3) continue;
    expect(r.ok, r.error?.message).toBe(true);
    const inputs = r.value as LadderInputs;
    const step = inputs.spec.step;
    const centre = Math.round(inputs.spot / step) * step;
    const prices = shown.prices.map((_, i) => centre + ((shown.prices.length - 1) / 2 - i) * step);
    expect(shown.prices.map((p) => Number(p.replace(/,/g, '')))).toEqual(prices);
    const expected = recompute(inputs, prices);
    expect(inputs.numeraire).toBe(shown.unit);
    const mismatches = shown.cells.filter((c) => c.text !== formatCell(c.field, cellValue(expected, c.field, c.row), shown.unit));
    expect(mismatches.slice(0, 5), `${mismatches.length} of ${shown.cells.length} cells differ`).toEqual([]);
    expect(shown.cells.length).toBeGreaterThan(100);
    return shown;
  }
}

beforeAll(async () => {
  app = await startHeadlessApp();
  browser = await openBrowser({ width: 1600, height: 940 });
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('portfolio screen in Chromium through the headless host', () => {
  it('shows the paper book (long calls, short puts, perp hedges) with Greeks and liquidation', async () => {
    await page.goto(app.url);
    await page.waitForSelector('.workspace-tabs');
    await page.keyboard.press('p');
    await page.waitForSelector('.ladder-row.spot', { timeout: 20_000 });
    await expect.poll(() => page.locator('.pos-row:not(.collateral-row)').count(), { timeout: 20_000 }).toBe(6);
    // PnL in USD: the coins Deribit holds as collateral are delta, shown as their own rows.
    await expect.poll(() => page.locator('.collateral-row').count()).toBe(2);
    expect(await page.locator('.risk-strip').innerText()).toMatch(/Collateral\s+[\d.]+ BTC/);
    const table = await page.locator('.positions-table').innerText();
    expect(table).toMatch(/BTC-PERP\s+−4\.0000/);
    expect(table).toMatch(/BTC-\w+-\d+-C\s+\+5\.0000/);
    expect(table).toMatch(/BTC-\w+-\d+-P\s+−8\.0000/);
    expect(table).toMatch(/BTC total/);
    // The short perp's liquidation is above spot, on the strip and flagged on the ladder if in range.
    expect(await page.locator('.risk-strip').innerText()).toMatch(/Liq ↑\s+[\d,]+ \(\+\d/);
    expect(await page.locator('.ladder-row.spot').count()).toBe(1);
    await page.waitForTimeout(1500);
    await browser.screenshot('13-portfolio-ladder-btc');
  });

  it('shows ladder cells equal to the engine’s values for the same inputs', async () => {
    const shown = await expectLadderMatchesEngine();
    expect(shown.underlying).toBe('BTC');
    // The PnL column crosses zero at spot: the row nearest spot reads within a step's move of 0.
    const pnl = shown.cells.filter((c) => c.field === 'pnl');
    expect(pnl.some((c) => c.text.startsWith('+')) && pnl.some((c) => c.text.startsWith('−'))).toBe(true);
  });

  it('shows each venue account’s margin use per row, and marks where a margin call starts once the margin alert is tightened', async () => {
    const heads = () => page.locator('.ladder-row.head .margin-head b').allInnerTexts();
    await expect.poll(heads, { timeout: 10_000 }).toEqual(['Deribit BTC', expect.stringMatching(/^HL 0x[0-9a-f]{4}…[0-9a-f]{4}$/)]);
    const column = (label: string) =>
      page.evaluate((l) => [...document.querySelectorAll<HTMLElement>(`.ladder-row[data-row] [data-margin="${l}"]`)].map((c) => c.textContent), label);
    // One decimal in every row; Deribit's short puts need more margin as the price falls.
    const deribit = (await column('Deribit BTC')).map(Number);
    expect(deribit.every((v) => Number.isFinite(v))).toBe(true);
    expect(deribit.at(-1)!).toBeGreaterThan(deribit[0]!);
    // Wider than its panel: it scrolls sideways, and the far column is then in view with its figures.
    const table = page.locator('.ladder-table');
    expect(await table.evaluate((t) => t.scrollWidth > t.clientWidth)).toBe(true);
    await table.evaluate((t) => (t.scrollLeft = t.scrollWidth));
    const hl = page.locator('.ladder-row.spot .margin-use').last();
    expect(await hl.evaluate((c) => c.getBoundingClientRect().right <= c.closest('.ladder-table')!.getBoundingClientRect().right + 1)).toBe(true);
    expect(await hl.innerText()).toMatch(/^\d+\.\d$/);
    // The margin alert warns at 8 %: the ladder marks the row where Deribit BTC's use crosses it.
    const spotUse = Number(await page.locator('.ladder-row.spot [data-margin="Deribit BTC"]').innerText());
    const warning = Math.ceil(spotUse) + 1;
    expect((await app.command('alerts.rule', { rule: 'margin-ratio', settings: { enabled: true, info: null, warning, critical: 90, hysteresis: 0.5 } })).ok).toBe(true);
    const call = page.locator('.ladder-row.margin-call').filter({ has: page.locator('.price[title*="Margin call Deribit BTC"]') });
    await expect.poll(() => call.count(), { timeout: 10_000 }).toBe(1);
    expect(await call.locator('.call-tag').innerText()).toBe('CALL');
    expect(await call.locator('.price').getAttribute('title')).toMatch(new RegExp(`(^|\\n)Margin call Deribit BTC \\(${warning} %\\) at [\\d,.]+`));
    // Either side of the marked row the column is on either side of the warning.
    const row = Number(await call.getAttribute('data-row'));
    const use = (await column('Deribit BTC')).map(Number);
    expect(Math.min(use[row - 1]!, use[row + 1]!)).toBeLessThan(warning);
    expect(Math.max(use[row - 1]!, use[row + 1]!)).toBeGreaterThanOrEqual(warning);
    expect(await call.locator('[data-margin="Deribit BTC"]').getAttribute('class')).toMatch(/margin-use( call)?/);
    await call.scrollIntoViewIfNeeded();
    await browser.screenshot('13b-portfolio-ladder-margin-call');
    await table.evaluate((t) => (t.scrollLeft = 0));
    expect((await app.command('alerts.rule', { rule: 'margin-ratio', settings: { enabled: true, info: 50, warning: 70, critical: 85, hysteresis: 5 } })).ok).toBe(true);
    await expect.poll(() => page.locator('.ladder-row.margin-call').count(), { timeout: 10_000 }).toBe(0);
  });

  it('moves along the ladder and changes shifts from the keyboard, and the cells still match', async () => {
    const cursorRow = () => page.locator('.ladder-row.cursor').getAttribute('data-row');
    const before = await cursorRow();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(Number(await cursorRow())).toBe(Number(before) - 2);
    await page.keyboard.press('c');
    expect(await cursorRow()).toBe(before);
    await page.keyboard.press('v');
    await page.keyboard.press('v');
    await page.keyboard.press('d');
    await expect.poll(() => page.locator('.ladder-controls input').nth(2).inputValue()).toBe('2');
    await expect.poll(() => page.locator('.ladder-controls input').nth(4).inputValue()).toBe('1');
    await expectLadderMatchesEngine();
    await page.keyboard.press('Shift+V');
    await expect.poll(() => page.locator('.ladder-controls input').nth(2).inputValue()).toBe('1');
    await page.keyboard.press('r');
    await expect.poll(() => page.locator('.ladder-controls input').nth(4).inputValue()).toBe('0');
    await page.keyboard.press(']');
    await expect.poll(() => page.locator('.ladder-table').getAttribute('data-underlying')).toBe('ETH');
    await page.keyboard.press('u');
    await expect.poll(() => page.locator('.ladder-row.head').innerText()).toMatch(/PnL ETH/);
    await expectLadderMatchesEngine();
    await page.keyboard.press('u');
    await expect.poll(() => page.locator('.ladder-row.head').innerText()).toMatch(/PnL \$/);
    await page.keyboard.press('[');
    await expect.poll(() => page.locator('.ladder-table').getAttribute('data-underlying')).toBe('BTC');
  });

  it('adds a what-if perp: the ladder changes, is outlined, and clearing restores it', async () => {
    const spotDelta = async () => Number((await page.locator('.ladder-row.spot [data-field="deltaCoin"]').innerText()).replace(/[−,]/g, (m) => (m === '−' ? '-' : '')));
    const before = await spotDelta();
    await page.locator('select[aria-label="What-if type"]').selectOption('perp');
    await page.locator('input[aria-label="What-if quantity"]').fill('2');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.waitForSelector('.panel.ladder.what-if');
    await expect.poll(() => page.locator('.pos-row.source-what-if').count()).toBe(1);
    // Δ at the spot row rises by the 2 coins (× mark ÷ index, a hair either side of 1).
    await expect.poll(async () => (await spotDelta()) - before, { timeout: 5000 }).toBeGreaterThan(1.99);
    expect((await spotDelta()) - before).toBeLessThan(2.01);
    await expectLadderMatchesEngine();
    // The payoff redraws at most every 250 ms.
    await page.waitForTimeout(600);
    await browser.screenshot('14-portfolio-what-if');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('.panel.ladder.what-if').count()).toBe(0);
    await expect.poll(() => page.locator('.pos-row.source-what-if').count()).toBe(0);
  });

  it('imports a CSV: good rows load, each bad row gets its own error, and the file is saved', async () => {
    const csv = [
      '# positions held on another venue',
      'underlying,type,quantity,entry_price,kind,strike,expiry,iv_pct',
      'BTC,option,-3,0.02,call,150000,2027-03-26,',
      'BTC,spot,0.5,88000,,,,',
      'BTC,option,2,0.01,call,not-a-number,2027-03-26,55',
      'ETH,future,0,3000,,,,',
    ].join('\n');
    await page.locator('input[aria-label="Positions CSV file"]').setInputFiles({ name: 'other-venue.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.locator('.import-result').innerText()).toMatch(/other-venue\.csv: 2 positions loaded, 2 rows refused/);
    const errors = await page.locator('.import-errors li').allInnerTexts();
    expect(errors).toEqual([expect.stringMatching(/^line 5: strike: expected a number/), expect.stringMatching(/^line 6: quantity: must not be 0/)]);
    await expect.poll(() => page.locator('.pos-row.source-import').count()).toBe(2);
    // The imported call is priced off the fitted surface: it shows Greeks, not a problem.
    expect(await page.locator('.pos-row.source-import.problem').count()).toBe(0);
    await expectLadderMatchesEngine();
    await browser.screenshot('15-portfolio-import');
    const saved = JSON.parse(await readFile(path.join(app.dataDir, 'portfolio.json'), 'utf8')) as { imported: unknown[] };
    expect(saved.imported).toHaveLength(2);
  });

  it('reads the keymap file the app wrote, and a rebinding takes effect when the window regains focus', async () => {
    const file = path.join(app.dataDir, 'keymap.json');
    const map = JSON.parse(await readFile(file, 'utf8')) as { bindings: Record<string, string[]> };
    expect(map.bindings['portfolio.volUp']).toEqual(['V']);
    map.bindings['portfolio.volUp'] = ['Q'];
    await writeFile(file, JSON.stringify(map));
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => page.locator('.statusbar').innerText()).toMatch(/Q\s+vol \+1/);
    await page.keyboard.press('q');
    await expect.poll(() => page.locator('.ladder-controls input').nth(2).inputValue()).toBe('1');
    await page.keyboard.press('r');
    expect(browser.consoleErrors).toEqual([]);
  });

  it('an engine restart is shown while it lasts, badges stop claiming "connected", and what-ifs survive it', async () => {
    await page.locator('select[aria-label="What-if type"]').selectOption('perp');
    await page.locator('input[aria-label="What-if quantity"]').fill('1');
    await page.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => page.locator('.pos-row.source-what-if').count()).toBe(1);
    const entryBefore = await page.locator('.pos-row.source-what-if').getAttribute('data-entry');
    app.crashEngine();
    await expect.poll(() => page.getByTestId('engine-banner').textContent(), { timeout: 5000 }).toMatch(/Engine restarting \(the engine stopped \(exit code 1\); restart 1/);
    await expect.poll(() => page.getByTestId('venue-hyperliquid').getAttribute('data-state'), { timeout: 2000 }).toBe('engine-down');
    await browser.screenshot('19-engine-restarting');
    await expect.poll(() => page.getByTestId('engine-banner').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('venue-hyperliquid').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
    await expect.poll(() => page.locator('.pos-row.source-what-if').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('.pos-row.source-what-if').getAttribute('data-entry')).toBe(entryBefore);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('.pos-row.source-what-if').count()).toBe(0);
  }, 40_000);
});
