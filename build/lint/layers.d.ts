import type { ESLint, Linter } from 'eslint';

export const LAYERS: Record<string, { may: string[]; exceptions?: string[]; packages?: { deny?: string[]; nodeBuiltins?: boolean; allowElectron?: boolean } }>;
export const layersPlugin: ESLint.Plugin;
export function layersConfig(root: string): Linter.Config;
