import path from 'node:path';

/*
 * Layering as an allowlist (DESIGN.md §3). Each folder states what it may import; anything else
 * is an error that names the allowed layers. One rule does it all, because ESLint's flat config
 * keeps only the last matching block's options for a rule: two `no-restricted-imports` blocks for
 * overlapping folders silently drop the first one's bans.
 *
 * A target is a layer (a folder below the root) or one file, for a seam that is only a type
 * (the engine's host protocol). `exceptions` are known debts, each with the issue that removes it.
 */
export const LAYERS = {
  shared: { may: ['shared'], packages: { deny: ['electron', 'react', 'react-dom', 'zustand', 'lightweight-charts', 'ws', 'ethers'], nodeBuiltins: false } },
  renderer: { may: ['renderer', 'shared'], packages: { deny: ['electron', 'ws', 'ethers'], nodeBuiltins: false } },
  'electron/preload': { may: ['electron/preload', 'shared'], packages: { allowElectron: true } },
  'electron/main': { may: ['electron/main', 'electron/border', 'electron/vault', 'electron/storage', 'electron/engine/host-protocol.ts', 'shared'], packages: { allowElectron: true } },
  'electron/headless': { may: ['electron/headless', 'electron/border', 'electron/vault', 'electron/storage', 'electron/venues/common', 'electron/engine/host-protocol.ts', 'shared'] },
  'electron/border': { may: ['electron/border', 'electron/storage', 'electron/engine/host-protocol.ts', 'electron/sim/start-sim.ts', 'shared'] },
  // The host protocol is the seam the engine's signature requests cross; the vault answers them.
  'electron/vault': { may: ['electron/vault', 'electron/venues', 'electron/storage', 'electron/border/command-router.ts', 'electron/engine/host-protocol.ts', 'shared'] },
  'electron/engine': { may: ['electron/engine', 'electron/venues', 'electron/sim', 'electron/storage', 'shared'] },
  'electron/venues': { may: ['electron/venues', 'shared'] },
  // A simulated venue applies the venue's rules, written in sim/; it never borrows the engine's.
  'electron/sim': { may: ['electron/sim', 'electron/venues', 'shared'] },
  'electron/storage': { may: ['electron/storage', 'shared'] },
};

const REACT_SIDE = ['react', 'react-dom', 'zustand', 'lightweight-charts'];

function layerOf(rel) {
  const parts = rel.split('/');
  if (parts[0] === 'electron' && parts.length > 2) return `electron/${parts[1]}`;
  if (parts[0] === 'shared' || parts[0] === 'renderer') return parts[0];
  return null;
}

function allowedBy(target, list) {
  return list.some((entry) => (entry.endsWith('.ts') || entry.endsWith('.tsx') ? target === entry : target === entry || target.startsWith(`${entry}/`)));
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const rule = {
  meta: { type: 'problem', schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }], messages: { layer: '{{from}} may not import {{target}}: it may import {{allowed}}.', pkg: '{{from}} may not import the package "{{name}}"{{why}}.', tests: 'Product code must not import tests ({{target}}).' } },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = layerOf(file);
    if (!from) return {};
    const layer = LAYERS[from];
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = path.relative(root, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/');
        if (target.startsWith('test/') || target.includes('/test/')) return context.report({ node, messageId: 'tests', data: { target } });
        if (!allowedBy(target, layer.may) && !allowedBy(target, layer.exceptions ?? [])) context.report({ node, messageId: 'layer', data: { from, target, allowed: layer.may.join(', ') } });
        return;
      }
      const name = spec.startsWith('node:') ? 'node:' : packageName(spec);
      const p = layer.packages ?? {};
      if (name === 'node:' && p.nodeBuiltins === false) return context.report({ node, messageId: 'pkg', data: { from, name: spec, why: ': Node built-ins do not exist in the page' } });
      if (name === 'electron' && !p.allowElectron) return context.report({ node, messageId: 'pkg', data: { from, name, why: ': only main and the preload talk to Electron; the rest runs outside it too' } });
      if ((p.deny ?? []).includes(name)) return context.report({ node, messageId: 'pkg', data: { from, name, why: '' } });
      if (from.startsWith('electron/') && REACT_SIDE.includes(name)) context.report({ node, messageId: 'pkg', data: { from, name, why: ': the UI lives in the renderer' } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
      CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal' && check(n, n.arguments[0].value),
    };
  },
};

export const layersPlugin = { rules: { 'allowed-imports': rule } };

/** The config block: every product folder, one rule. */
export function layersConfig(root) {
  return { files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'], plugins: { layers: layersPlugin }, rules: { 'layers/allowed-imports': ['error', { root }] } };
}
