import { describe, expect, it } from 'vitest';
import { PassphraseChecker } from '../../../electron/vault/passphrase-checker.ts';
import { checkPassphrase, MAX_ESTIMATED_LENGTH } from '../../../electron/vault/passphrase-strength.ts';

/*
 * The strength estimate runs in a worker thread (the thread that answers the window also runs
 * the auto-lock) and on a bounded input: a crafted passphrase cannot hold main for half a second.
 */
const crafted = 'aaaaaa1985-01-01'.repeat(64);

describe('passphrase strength off the main thread', () => {
  it('estimates only the first 64 characters, whatever the length', () => {
    expect(checkPassphrase(crafted)).toEqual(checkPassphrase(crafted.slice(0, MAX_ESTIMATED_LENGTH)));
  });

  it('answers from a worker while this thread keeps running its timers', async () => {
    const checker = new PassphraseChecker(new URL('../../../electron/vault/passphrase-worker.ts', import.meta.url), () => undefined);
    try {
      const order: string[] = [];
      const answer = checker.check(crafted).then((s) => {
        order.push('answer');
        return s;
      });
      // Were the estimate on this thread, it would finish before any timer could fire.
      await new Promise<void>((r) => setTimeout(() => (order.push('timer'), r()), 0));
      const strength = await answer;
      expect(order).toEqual(['timer', 'answer']);
      expect(strength).toEqual(checkPassphrase(crafted));
      // Several at once come back to their own callers, by sequence number.
      const many = await Promise.all(['short1!', 'orbit-canvas-tulip-87-ledger', 'password1234'].map((p) => checker.check(p)));
      expect(many.map((s) => s.acceptable)).toEqual([false, true, false]);
    } finally {
      checker.stop();
    }
  });
});
