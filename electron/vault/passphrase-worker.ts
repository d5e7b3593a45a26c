import { parentPort } from 'node:worker_threads';
import { checkPassphrase } from './passphrase-strength.ts';
import type { StrengthReply, StrengthRequest } from './passphrase-checker.ts';

/*
 * The passphrase-strength estimate in its own thread: zxcvbn takes up to ~0.3 s on a crafted
 * 64-character input, and the thread that answers the window also runs the vault's auto-lock.
 */
parentPort?.on('message', (req: StrengthRequest) => {
  let reply: StrengthReply;
  try {
    reply = { seq: req.seq, ok: true, value: checkPassphrase(req.passphrase) };
  } catch (err) {
    reply = { seq: req.seq, ok: false, message: (err as Error).message };
  }
  parentPort?.postMessage(reply);
});
