import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { BrowserSession } from './support/browser.ts';
import type { RunningApp } from './support/headless-app.ts';
import { cutTexts } from './support/fit-check.ts';
import { closeScreen, openTradingScreen } from './support/trading-vault.ts';

/**
 * Every workspace at the three window sizes traders use, with a vault that can trade (so the
 * ticket, the keys table and the budget show real figures): no text is cut, nothing runs off the
 * window, and accessibility checks find nothing serious. One screenshot per screen and size.
 */

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];

/** Each workspace: the key that opens it, and what must be on screen before it is judged. */
const SCREENS = [
  { name: 'perps', key: 'M', ready: '[data-testid="orderbook-body"] .book-row' },
  { name: 'options', key: 'O', ready: '[data-testid="mispricing"]' },
  { name: 'portfolio', key: 'P', ready: '.ladder-row.spot' },
  { name: 'vault', key: 'K', ready: '.keys-table, [data-testid="vault-keys"]' },
  { name: 'journal', key: 'J', ready: '.journal-workspace' },
];

let app: RunningApp;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  ({ app, browser, page } = await openTradingScreen('layout check passphrase', SIZES[0]));
  await page.goto(app.url);
  await page.waitForSelector('[data-testid="orderbook-body"] .book-row', { timeout: 10_000 });
  // Derive quotes a few BTC contracts 25 vol points off, so the mispricing list has rows to judge.
  const chain = await app.command('options.chain', {});
  const linked = (chain.value as { contracts: { underlying: string; peer?: { name: string } }[] }).contracts.filter((c) => c.peer && c.underlying === 'BTC');
  for (const c of linked.slice(0, 6)) await app.deriveFault({ fault: 'misquote', instrument: c.peer!.name, volPoints: 25 });
  // Options with the cursor on a contract: its book and ticket are part of the screen.
  await page.keyboard.press('O');
  await page.waitForSelector('.chain-body .chain-row .px.mark', { timeout: 10_000 });
  await page.keyboard.press('ArrowDown');
});

afterAll(async () => {
  await closeScreen(app, browser);
});

async function open(screen: (typeof SCREENS)[number]): Promise<void> {
  await page.keyboard.press(screen.key);
  await page.waitForSelector(screen.ready, { timeout: 10_000 });
  // Two frames and a moment for the last stream batch to land at this size.
  await page.waitForTimeout(400);
}

describe('every figure fits at 1280, 1440 and 1920 pixels', () => {
  for (const size of SIZES) {
    it(`nothing is cut at ${size.width}×${size.height}`, async () => {
      await page.setViewportSize(size);
      const problems: string[] = [];
      for (const screen of SCREENS) {
        await open(screen);
        await browser.screenshot(`layout-${screen.name}-${size.width}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) problems.push(`${screen.name}: the page is ${overflow} px wider than the window`);
        for (const c of await cutTexts(page)) problems.push(`${screen.name}: "${c.text}" at ${c.where} is cut by ${c.hiddenPx} px`);
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('accessibility', () => {
  it('finds no critical or serious violation on any workspace', async () => {
    await page.setViewportSize(SIZES[1]!);
    const found: string[] = [];
    for (const screen of SCREENS) {
      await open(screen);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
      for (const v of result.violations) {
        if (v.impact !== 'critical' && v.impact !== 'serious') continue;
        found.push(`${screen.name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.length} node(s): ${v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} [${n.failureSummary?.split('\n')[1]?.trim() ?? ''}]`).join('; ')}`);
      }
    }
    expect(found).toEqual([]);
  });
});
