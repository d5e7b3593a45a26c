import path from 'node:path';
import { defaultKeymapFile, keymapFileSchema } from '../../shared/keymap/keymap.ts';
import { loadJsonFile, writeFileAtomic } from '../storage/atomic-file.ts';

export interface KeymapAnswer {
  file: string | null;
  bindings: Record<string, string[]>;
  errors: string[];
}

/**
 * Reads the trader's `keymap.json` from the user-data folder, writing the defaults there on first
 * run so every action is in front of them to edit. A file that cannot be read is reported and left
 * as it is; the screen then uses the defaults.
 */
export async function loadKeymapFile(dataDir: string | null): Promise<KeymapAnswer> {
  if (!dataDir) return { file: null, bindings: {}, errors: [] };
  const file = path.join(dataDir, 'keymap.json');
  // The trader's own file is never copied or rewritten; a bad one is only reported.
  const loaded = await loadJsonFile(file, keymapFileSchema, Date.now(), false);
  switch (loaded.state) {
    case 'loaded':
      return { file, bindings: loaded.value.bindings, errors: [] };
    case 'damaged':
      return { file, bindings: {}, errors: [`keymap: ${file}: ${loaded.reason}; using the default keys`] };
    case 'missing':
      try {
        await writeFileAtomic(file, defaultKeymapFile());
      } catch (err) {
        return { file, bindings: {}, errors: [`keymap: cannot write ${file}: ${(err as Error).message}`] };
      }
      return { file, bindings: {}, errors: [] };
  }
}
