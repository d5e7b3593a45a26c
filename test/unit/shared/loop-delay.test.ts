import { describe, expect, it } from 'vitest';
import { LoopDelayMonitor } from '../../../shared/perf/loop-delay.ts';

/*
 * The event-loop delay every host reports (app.health, engine.health): a thread blocked for 120 ms
 * shows as a timer that fired about that late; percentiles over the kept samples; a reset starts a
 * new window.
 */
describe('event-loop delay', () => {
  it('sees a blocked loop as a late timer', async () => {
    const loop = new LoopDelayMonitor(10);
    loop.start();
    await new Promise((r) => setTimeout(r, 60));
    const busyUntil = performance.now() + 120;
    while (performance.now() < busyUntil) {
      // the thread is busy: nothing else runs
    }
    await new Promise((r) => setTimeout(r, 60));
    loop.stop();
    const s = loop.stats();
    expect(s.maxMs).toBeGreaterThan(90);
    expect(s.p50Ms).toBeLessThan(s.maxMs);
    expect(s.samples).toBeGreaterThan(3);
  });

  it('keeps the last samples, reads percentiles from them, and starts again on reset', () => {
    const loop = new LoopDelayMonitor(20, 100);
    for (let i = 1; i <= 250; i++) loop.record(i);
    // Only the last 100 (151…250) are kept.
    expect(loop.stats()).toEqual({ p50Ms: 201, p99Ms: 250, maxMs: 250, samples: 100, windowMs: 2000 });
    loop.reset();
    expect(loop.stats()).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 0, samples: 0, windowMs: 0 });
    loop.record(3);
    expect(loop.stats().maxMs).toBe(3);
  });
});
