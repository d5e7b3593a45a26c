import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeIssues } from '../../shared/contract/validate.ts';
import { defaultKeymapFile, keymapFileSchema } from '../../shared/keymap/keymap.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';

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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { file, bindings: {}, errors: [`keymap: cannot read ${file}: ${(err as Error).message}`] };
    try {
      await writeFileAtomic(file, defaultKeymapFile());
    } catch (writeErr) {
      return { file, bindings: {}, errors: [`keymap: cannot write ${file}: ${(writeErr as Error).message}`] };
    }
    return { file, bindings: {}, errors: [] };
  }
  try {
    const parsed = keymapFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return { file, bindings: {}, errors: [`keymap: ${file}: ${describeIssues(parsed.error)}; using the default keys`] };
    return { file, bindings: parsed.data.bindings, errors: [] };
  } catch (err) {
    return { file, bindings: {}, errors: [`keymap: ${file} is not valid JSON (${(err as Error).message}); using the default keys`] };
  }
}
