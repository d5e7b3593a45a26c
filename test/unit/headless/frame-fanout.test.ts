import { describe, expect, it } from 'vitest';
import { FrameFanout, type FanoutPage } from '../../../electron/headless/frame-fanout.ts';

const frame = new Uint8Array([1]);

function page(): FanoutPage & { got: number } {
  const p = { got: 0, send: () => (p.got++, true) };
  return p;
}

describe("the headless host hands its pages' credit on to the engine", () => {
  it('the engine gets credit back as the page furthest behind draws; with no page drawing it gets none', () => {
    const given: number[] = [];
    let whole = 0;
    const fan = new FrameFanout((n) => given.push(n), () => whole++, 4);
    for (let i = 0; i < 3; i++) fan.frame(frame, 0);
    expect(given).toEqual([]); // nobody is watching: the engine coalesces
    const a = page();
    const b = page();
    fan.add(a);
    expect(given).toEqual([3]); // a page that has drawn nothing yet owes nothing
    fan.add(b);
    fan.frame(frame, 10);
    fan.frame(frame, 11);
    fan.drawn(a, 2, 20);
    expect(given).toEqual([3]); // b has drawn none of them
    fan.drawn(b, 1, 21);
    fan.drawn(b, 1, 22);
    expect(given).toEqual([3, 1, 1]);
    expect([a.got, b.got]).toEqual([2, 2]);
    expect(whole).toBe(0);
  });

  it('a page full of undrawn frames for a second is skipped; the others go on; it gets the whole state when it draws', () => {
    const given: number[] = [];
    let whole = 0;
    const fan = new FrameFanout((n) => given.push(n), () => whole++, 2);
    const shown = page();
    const hidden = page();
    fan.add(shown);
    fan.add(hidden);
    fan.frame(frame, 0);
    fan.frame(frame, 1);
    fan.drawn(shown, 2, 5);
    expect(given).toEqual([]); // hidden is full but may still draw
    // A second on, still full: the next frame skips it, and the engine is let go on.
    fan.frame(frame, 1_100);
    expect(given).toEqual([2]);
    expect([shown.got, hidden.got]).toEqual([3, 2]);
    expect(fan.framesSkipped).toBe(1);
    fan.drawn(hidden, 2, 1_300);
    expect(whole).toBe(1);
  });

  it('a frame its backed-up socket could not take is counted as skipped, and the page gets the whole state when it draws', () => {
    let whole = 0;
    const fan = new FrameFanout(() => undefined, () => whole++, 4);
    let backedUp = true;
    const p = { got: 0, send: () => (backedUp ? false : (p.got++, true)) };
    fan.add(p);
    fan.frame(frame, 0);
    expect(fan.framesSkipped).toBe(1);
    backedUp = false;
    fan.frame(frame, 1);
    fan.drawn(p, 1, 2);
    expect(whole).toBe(1);
  });
});
