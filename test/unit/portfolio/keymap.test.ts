import { describe, expect, it } from 'vitest';
import { defaultKeymapFile, eventKey, KEY_ACTIONS, keymapFileSchema, resolveKeymap } from '../../../shared/keymap/keymap.ts';

describe('keymap', () => {
  it('defaults give every action a key and no key two actions in one scope', () => {
    const r = resolveKeymap();
    expect(r.errors).toEqual([]);
    for (const a of KEY_ACTIONS) expect(r.keysOf.get(a.id)!.length).toBeGreaterThan(0);
    expect(r.byScope.portfolio.get('Shift+V')).toBe('portfolio.volDown');
    expect(r.byScope.portfolio.get('V')).toBe('portfolio.volUp');
    expect(r.byScope.global.get('P')).toBe('workspace.portfolio');
  });

  it('matches letters case-insensitively with Shift as a separate binding', () => {
    expect(eventKey({ key: 'v', shiftKey: false })).toBe('V');
    expect(eventKey({ key: 'V', shiftKey: true })).toBe('Shift+V');
    expect(eventKey({ key: '+', shiftKey: true })).toBe('+');
  });

  it('applies overrides, and refuses clashes, unknown actions and unreadable keys while keeping defaults', () => {
    const r = resolveKeymap({ 'portfolio.volUp': ['q'], 'portfolio.daysForward': ['C'], 'portfolio.nope': ['Z'], 'options.toggleSide': ['Shift+['] });
    expect(r.byScope.portfolio.get('Q')).toBe('portfolio.volUp');
    expect(r.byScope.portfolio.get('V')).toBeUndefined();
    expect(r.byScope.portfolio.get('C')).toBe('portfolio.centre');
    expect(r.byScope.portfolio.get('D')).toBe('portfolio.daysForward');
    expect(r.byScope.options.get('X')).toBe('options.toggleSide');
    expect(r.errors).toEqual([
      'keymap: no action "portfolio.nope"',
      'keymap: options.toggleSide: cannot read key "Shift+["',
      'keymap: portfolio.daysForward: "C" is already portfolio.centre',
    ]);
  });

  it('a scope key may not shadow a workspace switch', () => {
    const r = resolveKeymap({ 'portfolio.toggleUnit': ['P'] });
    expect(r.errors[0]).toMatch(/"P" is already workspace\.portfolio/);
    expect(r.byScope.portfolio.get('U')).toBe('portfolio.toggleUnit');
  });

  it('the file written on first run lists every action and reads back as the defaults', () => {
    const parsed = keymapFileSchema.parse(JSON.parse(defaultKeymapFile()));
    expect(Object.keys(parsed.bindings)).toEqual(KEY_ACTIONS.map((a) => a.id));
    expect(resolveKeymap(parsed.bindings).errors).toEqual([]);
  });
});
