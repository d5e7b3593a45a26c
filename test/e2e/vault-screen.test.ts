import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeAddress, Mnemonic, Wallet } from 'ethers';
import type { Page } from 'playwright-core';
import { COMMANDS } from '../../shared/contract/commands.ts';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startHeadlessApp, type RunningApp } from './support/headless-app.ts';

/*
 * The vault through the real app: create, import, approve an agent on the simulator, approve a
 * budget, lock and unlock. Throughout, everything the page receives (WebSocket frames, the DOM)
 * and everything the host logs is scanned for key material: the imported key, the phrase, and
 * any 32-byte value that is the private key of an address in the vault (so agent keys count).
 */
let app: RunningApp;
let browser: BrowserSession;
let page: Page;
const received: string[] = [];
/** Stream frames (packed market data from the engine, which never holds a key). */
const receivedBinary: Buffer[] = [];
const PASS = 'granite-harbour-velvet-42-quay';
const privateKey = `0x${randomBytes(32).toString('hex')}`;
const phrase = Mnemonic.fromEntropy(randomBytes(16)).phrase;

beforeAll(async () => {
  app = await startHeadlessApp();
  browser = await openBrowser();
  page = browser.page;
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string') received.push(f.payload);
      else receivedBinary.push(Buffer.from(f.payload));
    });
  });
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const chip = () => page.locator('.lock-chip');

async function vaultAddresses(): Promise<Set<string>> {
  const r = await app.command('vault.status', {});
  const v = r.value as { keys: { address: string }[] };
  return new Set(v.keys.map((k) => k.address.toLowerCase()));
}

/** Every place key material could leak to: frames to the page, the page's text, the host's log. */
async function scanForKeyMaterial(): Promise<void> {
  const dom = await page.evaluate(() => document.documentElement.outerHTML);
  const haystacks = [...received, dom, app.output()];
  const words = phrase.split(' ');
  const addresses = await vaultAddresses();
  const keyBytes = Buffer.from(privateKey.slice(2), 'hex');
  for (const b of receivedBinary) {
    expect(b.includes(keyBytes)).toBe(false);
    expect(b.toString('latin1').toLowerCase()).not.toContain(privateKey.slice(2));
  }
  for (const h of haystacks) {
    const lower = h.toLowerCase();
    expect(lower).not.toContain(privateKey.slice(2));
    for (let i = 0; i + 3 <= words.length; i++) expect(lower).not.toContain(words.slice(i, i + 3).join(' '));
    // Any 64-hex run that is the key of one of our addresses (agents included) is a leak.
    for (const m of lower.matchAll(/[0-9a-f]{64}/g)) {
      let addr: string | null;
      try {
        addr = computeAddress(`0x${m[0]}`).toLowerCase();
      } catch {
        addr = null;
      }
      expect(addr !== null && addresses.has(addr), `a private key of ${addr} reached the page or the log`).toBe(false);
    }
  }
}

describe('vault screen', () => {
  it('creates the vault with a passphrase that passes the strength check', async () => {
    await page.goto(app.url);
    await expect.poll(() => chip().textContent()).toBe('No vault');
    await page.keyboard.press('k');
    await page.getByLabel('New passphrase').fill('password1234');
    // The first answer can include the strength worker's start on a busy machine.
    await expect.poll(() => page.locator('.strength').textContent(), { timeout: 5_000 }).toMatch(/Too weak/);
    await browser.screenshot('16-vault-create');
    await page.getByLabel('New passphrase').fill(PASS);
    await page.getByLabel('Repeat passphrase').fill(PASS);
    await expect.poll(() => page.locator('.strength').textContent(), { timeout: 5_000 }).toMatch(/Strong enough/);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect.poll(() => chip().textContent(), { timeout: 10_000 }).toBe('Unlocked');
  }, 30_000);

  it('imports a key and a phrase, approves an agent on the venue and a budget', async () => {
    await page.getByLabel('Key label').fill('Main');
    await page.getByLabel('Secret', { exact: true }).fill(privateKey);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.locator('.keys-table').textContent()).toContain(new Wallet(privateKey).address);
    await expect.poll(() => page.getByLabel('Secret', { exact: true }).inputValue()).toBe('');

    await page.getByLabel('Key label').fill('Cold');
    await page.getByLabel('Secret kind').selectOption('mnemonic');
    await page.getByLabel('Secret', { exact: true }).fill(phrase);
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.locator('.keys-table tbody tr.key-row').count()).toBe(2);

    await page.getByLabel('Agent name').fill('hedger');
    // Before anything is signed, the form says what the agent will be able to do and until when.
    await expect.poll(() => page.getByTestId('agent-scope').textContent()).toMatch(/Agent “hedger” will be able to place, change and cancel orders .* on Hyperliquid paper, until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(30 days\)\. It cannot withdraw/);
    await expect(page.getByRole('button', { name: 'Approve agent' }).isDisabled()).resolves.toBe(true);
    // A wrong passphrase: refused, the error beside this form, nothing signed.
    await page.getByLabel('Approve agent: passphrase').fill('not-the-passphrase');
    await page.getByRole('button', { name: 'Approve agent' }).click();
    await expect.poll(() => page.getByTestId('error-agent').textContent(), { timeout: 10_000 }).toMatch(/^wrong passphrase/);
    expect(await page.locator('.keys-table').textContent()).not.toMatch(/hedger \(agent\)/);
    await page.getByLabel('Approve agent: passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Approve agent' }).click();
    await expect.poll(() => page.locator('.keys-table').textContent(), { timeout: 10_000 }).toMatch(/hedger \(agent\).*29 d 23 h left · paper/);

    await page.getByLabel('Passphrase to approve the budget').fill(PASS);
    await page.getByRole('button', { name: 'Approve with passphrase' }).click();
    await expect.poll(() => page.locator('.budget').textContent(), { timeout: 10_000 }).toMatch(/Approved \(#1\) · .* by passphrase/);
    await expect.poll(() => page.locator('.journal').textContent()).toMatch(/signed · approveAgent 0x[0-9a-f]{40} "hedger"/);
    await browser.screenshot('17-vault-keys-agent-budget');
  }, 40_000);

  it('L locks from any screen; the unlock dialog says when the passphrase is wrong', async () => {
    await page.keyboard.press('p');
    await page.keyboard.press('l');
    await expect.poll(() => chip().textContent()).toBe('Locked');
    await chip().click();
    await page.getByLabel('Passphrase').fill('not-the-passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('.dialog .form-error').textContent(), { timeout: 10_000 }).toMatch(/^wrong passphrase/);
    await browser.screenshot('18-vault-unlock-wrong');
    await page.getByLabel('Passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => chip().textContent(), { timeout: 10_000 }).toBe('Unlocked');
  }, 30_000);

  it('deleting a key asks for the passphrase in its row and says it is gone for good', async () => {
    await page.keyboard.press('k');
    const rows = page.locator('.keys-table tbody tr.key-row');
    const before = await rows.count();
    const cold = rows.filter({ hasText: 'Cold' });
    await cold.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByTestId('delete-confirm');
    await expect.poll(() => confirm.textContent()).toMatch(/Delete “Cold” \(0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\)\? Without a backup it is gone for good/);
    await expect(confirm.getByRole('button', { name: 'Delete for good' }).isDisabled()).resolves.toBe(true);
    // The whole confirmation is on screen: nothing slides under the panel beside it.
    const box = (await confirm.boundingBox())!;
    const table = (await page.locator('.keys-table').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(table.x + table.width + 1);
    await confirm.getByLabel('Delete key: passphrase').fill(PASS);
    await browser.screenshot('18b-vault-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(before - 1);
    expect(await page.locator('.keys-table').textContent()).not.toContain('Cold');
  }, 30_000);

  it('nothing the page received, showed or the host logged contains key material', async () => {
    await page.keyboard.press('k');
    await page.waitForTimeout(1500);
    await scanForKeyMaterial();
  });

  // The full fuzz runs at the border in test/unit/vault/vault-commands-fuzz.test.ts; this samples it through the real host.
  it('every vault command survives random payloads: clear errors, no crash, vault file unchanged', async () => {
    const file = path.join(app.dataDir, 'vault.json');
    const before = await readFile(file);
    const names = Object.keys(COMMANDS).filter((n) => n.startsWith('vault.') || n.startsWith('ledger.'));
    const payload = fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('passphrase', 'id', 'label', 'privateKey', 'mnemonic', 'limits', 'master', 'minutes', 'limit'), fc.anything()));
    for (const name of names) {
      const samples = fc.sample(payload, { numRuns: 4, seed: 42 });
      for (const p of samples) {
        const r = await app.command(name, p);
        if (!r.ok) expect(r.error?.message, `${name} ${JSON.stringify(p)}`).toMatch(/\S/);
      }
    }
    expect((await app.command('app.info', {})).ok).toBe(true);
    expect(await readFile(file)).toEqual(before);
    await scanForKeyMaterial();
  }, 60_000);
});
