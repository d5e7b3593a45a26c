import { create } from 'zustand';
import { resolveKeymap, type ResolvedKeymap } from '../../../shared/keymap/keymap.ts';

export interface KeymapStore {
  resolved: ResolvedKeymap;
  /** Where the trader edits it, when the host has a user-data folder. */
  file: string | null;
  /** Problems with the file (reported, defaults kept). */
  errors: string[];
  apply: (file: string | null, bindings: Record<string, string[]>, hostErrors: string[]) => void;
}

export const useKeymapStore = create<KeymapStore>((set) => ({
  resolved: resolveKeymap(),
  file: null,
  errors: [],
  apply: (file, bindings, hostErrors) => {
    const resolved = resolveKeymap(bindings);
    set({ resolved, file, errors: [...hostErrors, ...resolved.errors] });
  },
}));
