import { z } from 'zod';

/**
 * Every keyboard action the screen knows, its scope and default keys. The trader can rebind any of
 * them in `keymap.json` in the app's user-data folder (docs/keymap.md); the host reads that file and
 * the screen merges it over these defaults. Nothing here trades: the ticket keys only put the
 * cursor in the ticket; an order is still reviewed and confirmed there.
 *
 * Key names are KeyboardEvent.key values; letters are case-insensitive and take an optional
 * `Shift+` prefix ("V", "Shift+V"); other keys match exactly ("[", "ArrowUp", "+").
 */
export type KeyScope = 'global' | 'market' | 'options' | 'portfolio' | 'vault' | 'journal' | 'orders';

/** The orders panel is on the Perps and Portfolio screens: its keys must not clash with theirs. */
const SHARES_KEYS_WITH: Partial<Record<KeyScope, KeyScope[]>> = { orders: ['market', 'portfolio'], market: ['orders'], portfolio: ['orders'] };

export interface KeyAction {
  id: string;
  scope: KeyScope;
  label: string;
  keys: string[];
}

export const KEY_ACTIONS = [
  { id: 'workspace.market', scope: 'global', label: 'perps', keys: ['M'] },
  { id: 'workspace.options', scope: 'global', label: 'options', keys: ['O'] },
  { id: 'workspace.portfolio', scope: 'global', label: 'portfolio', keys: ['P'] },
  { id: 'workspace.vault', scope: 'global', label: 'vault', keys: ['K'] },
  { id: 'workspace.journal', scope: 'global', label: 'journal', keys: ['J'] },
  /** Locks the vault at once, from any screen; nothing signs until the passphrase is entered again. */
  { id: 'vault.lockNow', scope: 'global', label: 'lock vault', keys: ['L'] },
  /** Previews a hedge of the underlying in view to its target; the same key again sends it, Esc drops it. */
  { id: 'hedge.full', scope: 'global', label: 'hedge to target', keys: ['H'] },
  { id: 'hedge.half', scope: 'global', label: 'hedge 50 %', keys: ['Shift+H'] },
  { id: 'hedge.cancel', scope: 'global', label: 'drop hedge', keys: ['Escape'] },
  /** Opens or closes the alerts panel (active alerts, recently cleared, the rules' thresholds). */
  { id: 'alerts.toggle', scope: 'global', label: 'alerts', keys: ['A'] },
  /** Acknowledges the worst unacknowledged alert: no more toasts or notifications until it gets worse. */
  { id: 'alerts.acknowledge', scope: 'global', label: 'acknowledge alert', keys: ['Shift+A'] },
  /** Opens the kill switch's plan (nothing is sent); executing it needs the word typed. */
  { id: 'divest.open', scope: 'global', label: 'kill switch', keys: ['Shift+K'] },
  { id: 'market.previousInstrument', scope: 'market', label: 'previous instrument', keys: ['['] },
  { id: 'market.nextInstrument', scope: 'market', label: 'next instrument', keys: [']'] },
  { id: 'market.nextTimeframe', scope: 'market', label: 'next timeframe', keys: ['T'] },
  { id: 'market.finerGrouping', scope: 'market', label: 'finer book grouping', keys: ['-'] },
  { id: 'market.coarserGrouping', scope: 'market', label: 'coarser book grouping', keys: ['=', '+'] },
  { id: 'market.toggleUnit', scope: 'market', label: 'size in coin / USD', keys: ['U'] },
  { id: 'market.ticketBuy', scope: 'market', label: 'ticket: buy', keys: ['B'] },
  { id: 'market.ticketSell', scope: 'market', label: 'ticket: sell', keys: ['S'] },
  { id: 'options.previousExpiry', scope: 'options', label: 'previous expiry', keys: ['ArrowLeft'] },
  { id: 'options.nextExpiry', scope: 'options', label: 'next expiry', keys: ['ArrowRight'] },
  /** The chain lists strikes low to high down the screen: ↓ goes to the higher strike. */
  { id: 'options.strikeUp', scope: 'options', label: 'higher strike', keys: ['ArrowDown'] },
  { id: 'options.strikeDown', scope: 'options', label: 'lower strike', keys: ['ArrowUp'] },
  { id: 'options.toggleSide', scope: 'options', label: 'call / put', keys: ['X'] },
  { id: 'options.previousUnderlying', scope: 'options', label: 'previous underlying', keys: ['['] },
  { id: 'options.nextUnderlying', scope: 'options', label: 'next underlying', keys: [']'] },
  { id: 'options.toggleUnit', scope: 'options', label: 'premium in coin / USD', keys: ['U'] },
  { id: 'options.toggleVenues', scope: 'options', label: 'chain: Greeks / both venues', keys: ['V'] },
  { id: 'options.ticketBuy', scope: 'options', label: 'ticket: buy', keys: ['B'] },
  { id: 'options.ticketSell', scope: 'options', label: 'ticket: sell', keys: ['S'] },
  { id: 'portfolio.previousUnderlying', scope: 'portfolio', label: 'prev coin', keys: ['['] },
  { id: 'portfolio.nextUnderlying', scope: 'portfolio', label: 'next coin', keys: [']'] },
  { id: 'portfolio.rowUp', scope: 'portfolio', label: 'price up', keys: ['ArrowUp'] },
  { id: 'portfolio.rowDown', scope: 'portfolio', label: 'price down', keys: ['ArrowDown'] },
  { id: 'portfolio.centre', scope: 'portfolio', label: 'to spot', keys: ['C'] },
  { id: 'portfolio.volUp', scope: 'portfolio', label: 'vol +1', keys: ['V'] },
  { id: 'portfolio.volDown', scope: 'portfolio', label: 'vol −1', keys: ['Shift+V'] },
  { id: 'portfolio.daysForward', scope: 'portfolio', label: 'day +1', keys: ['D'] },
  { id: 'portfolio.daysBack', scope: 'portfolio', label: 'day −1', keys: ['Shift+D'] },
  { id: 'portfolio.resetShifts', scope: 'portfolio', label: 'reset', keys: ['R'] },
  { id: 'portfolio.coarserStep', scope: 'portfolio', label: 'step +', keys: ['=', '+'] },
  { id: 'portfolio.finerStep', scope: 'portfolio', label: 'step −', keys: ['-'] },
  { id: 'portfolio.toggleWhatIf', scope: 'portfolio', label: 'what-if', keys: ['W'] },
  { id: 'portfolio.toggleUnit', scope: 'portfolio', label: 'PnL in USD / coin', keys: ['U'] },
  { id: 'orders.next', scope: 'orders', label: 'next order', keys: ['N'] },
  { id: 'orders.previous', scope: 'orders', label: 'prev order', keys: ['Shift+N'] },
  /** Cancelling only lowers exposure, so one press does it; the order is the one highlighted. */
  { id: 'orders.cancelSelected', scope: 'orders', label: 'cancel order', keys: ['Delete', 'Backspace'] },
  /** Armed by the first press, carried out by a second within 3 s. */
  { id: 'orders.cancelAll', scope: 'orders', label: 'cancel all (twice)', keys: ['Shift+X'] },
] as const satisfies readonly KeyAction[];

export type KeyActionId = (typeof KEY_ACTIONS)[number]['id'];

/** `keymap.json`: action id → the keys that trigger it (replacing its defaults). */
export const keymapFileSchema = z
  .object({
    bindings: z.record(z.string(), z.array(z.string().min(1).max(20)).max(4)),
  })
  .passthrough();

/** A binding normalised for lookup: letters upper-case with an optional Shift+ prefix. */
export function normaliseKey(key: string): string | null {
  const m = /^(shift\+)?(.+)$/i.exec(key.trim());
  if (!m) return null;
  const k = m[2]!;
  if (/^[a-z]$/i.test(k)) return `${m[1] ? 'Shift+' : ''}${k.toUpperCase()}`;
  return m[1] ? null : k;
}

/** The key of a keyboard event in the same form. */
export function eventKey(e: { key: string; shiftKey: boolean }): string {
  return /^[a-z]$/i.test(e.key) ? `${e.shiftKey ? 'Shift+' : ''}${e.key.toUpperCase()}` : e.key;
}

export interface ResolvedKeymap {
  /** scope → key → action. */
  byScope: Record<KeyScope, Map<string, KeyActionId>>;
  /** action → keys in effect, for the on-screen help. */
  keysOf: Map<KeyActionId, string[]>;
  errors: string[];
}

/**
 * Defaults with the trader's overrides on top. An override that names no action, uses an unknown
 * key form, or collides with another action in the same scope (or a global one) is reported and
 * that action keeps its default keys.
 */
export function resolveKeymap(overrides: Record<string, string[]> = {}): ResolvedKeymap {
  const errors: string[] = [];
  const known = new Set<string>(KEY_ACTIONS.map((a) => a.id));
  for (const id of Object.keys(overrides)) if (!known.has(id)) errors.push(`keymap: no action "${id}"`);
  const keysOf = new Map<KeyActionId, string[]>();
  for (const a of KEY_ACTIONS) {
    const wanted = overrides[a.id];
    const keys = wanted?.map(normaliseKey);
    if (wanted && keys!.some((k) => k === null)) {
      errors.push(`keymap: ${a.id}: cannot read key ${JSON.stringify(wanted[keys!.indexOf(null)])}`);
      keysOf.set(a.id, a.keys.map((k) => normaliseKey(k)!));
    } else keysOf.set(a.id, (keys as string[] | undefined) ?? a.keys.map((k) => normaliseKey(k)!));
  }
  const byScope: ResolvedKeymap['byScope'] = { global: new Map(), market: new Map(), options: new Map(), portfolio: new Map(), vault: new Map(), journal: new Map(), orders: new Map() };
  const place = (a: KeyAction, keys: string[]): string | null => {
    for (const k of keys) {
      const shared = (SHARES_KEYS_WITH[a.scope] ?? []).map((s) => byScope[s].get(k)).find((x) => x !== undefined);
      const clash = byScope[a.scope].get(k) ?? (a.scope === 'global' ? undefined : byScope.global.get(k)) ?? shared;
      if (clash && clash !== a.id) return `keymap: ${a.id}: "${k}" is already ${clash}`;
    }
    for (const k of keys) byScope[a.scope].set(k, a.id as KeyActionId);
    return null;
  };
  // Defaults of untouched actions first, so an override that collides with them is the one refused.
  const rank = (a: KeyAction): number => (a.id in overrides ? 2 : 0) + (a.scope === 'global' ? 0 : 1);
  const ordered = [...KEY_ACTIONS].sort((a, b) => rank(a) - rank(b));
  for (const a of ordered) {
    const err = place(a, keysOf.get(a.id)!);
    if (err) {
      errors.push(err);
      const defaults = a.keys.map((k) => normaliseKey(k)!);
      keysOf.set(a.id, defaults);
      place(a, defaults.filter((k) => !byScope[a.scope].has(k)));
    }
  }
  return { byScope, keysOf, errors };
}

/** The file written on first run, so the trader has every action to edit. */
export function defaultKeymapFile(): string {
  return `${JSON.stringify(
    {
      help: 'DeltaDesk keyboard map. Change the keys of any action; the screen picks the change up when its window next gains focus. Keys are KeyboardEvent.key names; letters may take a Shift+ prefix. See docs/keymap.md.',
      bindings: Object.fromEntries(KEY_ACTIONS.map((a) => [a.id, a.keys])),
    },
    null,
    2,
  )}\n`;
}
