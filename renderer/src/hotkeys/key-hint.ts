import type { KeyActionId } from '../../../shared/keymap/keymap.ts';
import { shownKey } from './keymap.ts';
import { useKeymapStore } from './keymap-store.ts';

/**
 * " (V / ⇧V)": the keys the trader's keymap binds to these actions now, for a tooltip — never the
 * defaults when the keymap rebinds them; nothing when an action has no key.
 */
export function useKeyHint(...ids: KeyActionId[]): string {
  const keysOf = useKeymapStore((s) => s.resolved.keysOf);
  const keys = ids.map((id) => (keysOf.get(id) ?? []).map(shownKey).join(' ')).filter(Boolean);
  return keys.length ? ` (${keys.join(' / ')})` : '';
}
