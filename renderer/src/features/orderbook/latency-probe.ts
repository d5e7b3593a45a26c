/**
 * Tick-to-DOM latency: from the adapter receiving a venue frame to the book's DOM being updated.
 * Enabled with `?latency=1`; the bench reads `window.__deltadeskLatency`.
 */
const enabled = typeof location !== 'undefined' && new URLSearchParams(location.search).has('latency');
const samples: number[] = [];
if (enabled) (window as unknown as { __deltadeskLatency: number[] }).__deltadeskLatency = samples;

export function recordTickToDom(receivedAt: number): void {
  if (!enabled || samples.length >= 100_000) return;
  samples.push(performance.timeOrigin + performance.now() - receivedAt);
}
