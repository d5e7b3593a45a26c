import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/*
 * zxcvbn estimates how many guesses an attacker with dictionaries needs; a length floor on top
 * keeps the scrypt cost meaningful against an offline attack on a stolen vault file.
 */
export const MIN_PASSPHRASE_LENGTH = 12;
export const MIN_SCORE = 3;
export const MAX_ESTIMATED_LENGTH = 64;

export interface PassphraseStrength {
  /** 0 (guessable in seconds) … 4 (very unlikely to be guessed). */
  score: number;
  acceptable: boolean;
  /** What is wrong, in one line; empty when acceptable. */
  problem: string;
  suggestions: string[];
}

let factory: ZxcvbnFactory | null = null;

export function checkPassphrase(passphrase: string, context: string[] = []): PassphraseStrength {
  factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary, userInputs: ['deltadesk', 'hyperliquid', 'deribit', 'ledger'] }, graphs: common.adjacencyGraphs, translations: en.translations });
  // zxcvbn's cost grows steeply with length (0.5 s for a crafted 100 characters); a passphrase
  // whose first 64 characters are weak is weak, so only those are estimated.
  const result = factory.check(passphrase.slice(0, MAX_ESTIMATED_LENGTH), context);
  const score = result.score;
  let problem = '';
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) problem = `too short: ${passphrase.length} characters, at least ${MIN_PASSPHRASE_LENGTH} needed`;
  else if (score < MIN_SCORE) problem = result.feedback.warning ?? 'too easy to guess';
  return { score, acceptable: problem === '', problem, suggestions: result.feedback.suggestions.slice(0, 3) };
}
