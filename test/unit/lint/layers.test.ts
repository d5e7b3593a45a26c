import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layersConfig } from '../../../build/lint/layers.js';

/*
 * Deliberate violations that must fail lint, one per rule of DESIGN.md §3, linted with the very
 * block eslint.config.js uses; and a check that ESLint's final config for real files (after every
 * block has been merged) still carries the rule, so a later block can never switch it off again.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const linter = new Linter({ cwd: root });
const config = [{ files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } }, layersConfig(root)];

function lint(file: string, code: string): string[] {
  return linter.verify(code, config, { filename: path.join(root, file) }).map((m) => m.message);
}

const violations: [string, string, string, RegExp][] = [
  ['the engine imports the vault', 'electron/engine/probe.ts', "import { Vault } from '../vault/vault.ts';", /electron\/engine may not import electron\/vault\/vault\.ts: it may import electron\/engine, electron\/venues/],
  ['the engine imports main', 'electron/engine/probe.ts', "import '../main/index.ts';", /may not import electron\/main\/index\.ts/],
  ['the engine imports electron', 'electron/engine/probe.ts', "import { app } from 'electron';", /may not import the package "electron"/],
  ['an adapter imports the vault', 'electron/venues/hyperliquid/probe.ts', "import { Vault } from '../../vault/vault.ts';", /electron\/venues may not import electron\/vault\/vault\.ts: it may import electron\/venues, shared/],
  ['an adapter imports the engine', 'electron/venues/deribit/probe.ts', "import { black76 } from '../../engine/pricing/black.ts';", /electron\/venues may not import electron\/engine/],
  ['the vault imports the engine', 'electron/vault/probe.ts', "import { Engine } from '../engine/engine.ts';", /electron\/vault may not import electron\/engine\/engine\.ts/],
  ['the vault imports electron', 'electron/vault/probe.ts', "import { safeStorage } from 'electron';", /electron\/vault may not import the package "electron"/],
  ['the simulator imports the engine (beyond its listed debts)', 'electron/sim/probe.ts', "import { Engine } from '../engine/engine.ts';", /electron\/sim may not import electron\/engine\/engine\.ts/],
  ['the renderer imports Node code', 'renderer/src/probe.ts', "import { Vault } from '../../electron/vault/vault.ts';", /renderer may not import electron\/vault\/vault\.ts: it may import renderer, shared/],
  ['the renderer imports a Node built-in', 'renderer/src/probe.tsx', "import { readFile } from 'node:fs/promises';", /Node built-ins do not exist in the page/],
  ['shared imports the renderer', 'shared/probe.ts', "import { App } from '../renderer/src/app/App.tsx';", /shared may not import renderer/],
  ['shared imports React', 'shared/probe.ts', "import { useState } from 'react';", /may not import the package "react"/],
  ['product code imports a test', 'electron/border/probe.ts', "import { waitFor } from '../../test/support/wait.ts';", /must not import tests/],
  ['a re-export counts too', 'electron/venues/probe.ts', "export { Vault } from '../vault/vault.ts';", /may not import electron\/vault/],
  ['a dynamic import counts too', 'electron/engine/probe.ts', "await import('../vault/vault.ts');", /may not import electron\/vault/],
];

describe('layering as an allowlist', () => {
  for (const [what, file, code, message] of violations) {
    it(`fails lint when ${what}`, () => {
      const messages = lint(file, code);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(message);
    });
  }

  it('lets each layer import what it lists', () => {
    expect(lint('electron/engine/probe.ts', "import { ok } from '../../shared/contract/result.ts';\nimport '../venues/hyperliquid/signing.ts';")).toEqual([]);
    expect(lint('electron/main/probe.ts', "import { app } from 'electron';\nimport '../vault/vault.ts';")).toEqual([]);
    expect(lint('renderer/src/probe.tsx', "import { create } from 'zustand';\nimport '../../shared/contract/result.ts';")).toEqual([]);
  });

  it('is the rule in force for real files after every block of eslint.config.js is merged', async () => {
    const eslint = new ESLint({ cwd: root });
    for (const file of ['electron/vault/vault.ts', 'electron/venues/hyperliquid/signing.ts', 'electron/engine/engine.ts', 'renderer/src/app/App.tsx', 'shared/contract/result.ts']) {
      const cfg = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules: Record<string, unknown> };
      expect(cfg.rules['layers/allowed-imports'], file).toEqual([2, { root }]);
    }
  });
});
