/**
 * Tick-to-screen latency: from the adapter receiving a venue frame to the DOM being updated, and the
 * part of it spent before the frame reached the page. Enabled with `?latency=1`; the bench reads the
 * sample arrays from `window` by name.
 */
const enabled = typeof location !== 'undefined' && new URLSearchParams(location.search).has('latency');

/** A named sample series published on `window[name]` when latency probing is on. */
export function latencySeries(name: string): (receivedAt: number, at?: number) => void {
  const samples: number[] = [];
  if (enabled) (window as unknown as Record<string, number[]>)[name] = samples;
  return (receivedAt, at = performance.timeOrigin + performance.now()) => {
    if (!enabled || samples.length >= 100_000) return;
    samples.push(at - receivedAt);
  };
}

export const latencyProbeEnabled = enabled;
export const recordTickToDom = latencySeries('__deltadeskLatency');
export const recordArrival = latencySeries('__deltadeskArrival');
