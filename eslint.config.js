import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Import directions (DESIGN.md §3) are enforced here: renderer → shared only; shared imports
 * neither side; the engine never imports the `electron` package nor main/preload/headless; venue
 * adapters do not reach into hedging strategy; nothing imports tests.
 */
const noTests = { group: ['**/test/**'], message: 'Product code must not import tests.' };
const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns: [noTests, ...patterns] }] });
const electronPkg = (why) => [{ name: 'electron', message: why }];
const nodeBuiltins = { group: ['node:*'], message: 'Node built-ins are not available here.' };

export default tseslint.config(
  { ignores: ['out/**', 'release/**', 'node_modules/**', 'test-results/**', 'build/fake-electron/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node, parserOptions: { projectService: false } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: restrict(electronPkg('The renderer reaches Electron only through TerminalApi.'), [
      { group: ['**/electron/**'], message: 'The renderer imports shared/ only, never electron/ code.' },
      nodeBuiltins,
    ]),
  },
  {
    files: ['shared/**'],
    rules: restrict(electronPkg('shared/ is pure TypeScript for both sides.'), [
      { group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom', 'zustand'], message: 'shared/ imports neither side.' },
      nodeBuiltins,
    ]),
  },
  {
    files: ['electron/**'],
    rules: restrict([], [{ group: ['**/renderer/**'], message: 'Node-side code never imports the renderer.' }]),
  },
  {
    files: ['electron/engine/**', 'electron/venues/**', 'electron/sim/**'],
    rules: restrict(electronPkg('The engine runs outside Electron too (worker thread, tests): no electron imports.'), [
      { group: ['**/main/**', '**/preload/**', '**/headless/**'], message: 'The engine never imports its hosts.' },
      { group: ['**/vault/**'], message: 'Keys stay in main: the engine, adapters and simulator never import the vault.' },
      { group: ['**/renderer/**'], message: 'Node-side code never imports the renderer.' },
    ]),
  },
  {
    files: ['electron/venues/**'],
    rules: restrict(electronPkg('Venue adapters run in the engine: no electron imports.'), [
      { group: ['**/engine/hedge/**', '**/main/**', '**/preload/**', '**/headless/**'], message: 'Adapters know their venue, not our strategy or hosts.' },
      { group: ['**/renderer/**'], message: 'Node-side code never imports the renderer.' },
    ]),
  },
);
