/**
 * Tick-to-DOM latency: from the adapter receiving a venue frame to the book's DOM being updated,
 * and the part of it spent before the frame reached the page. Enabled with `?latency=1`; the
 * bench reads `window.__deltadeskLatency` and `window.__deltadeskArrival`.
 */
const enabled = typeof location !== 'undefined' && new URLSearchParams(location.search).has('latency');
const domSamples: number[] = [];
const arrivalSamples: number[] = [];
if (enabled) {
  const w = window as unknown as { __deltadeskLatency: number[]; __deltadeskArrival: number[] };
  w.__deltadeskLatency = domSamples;
  w.__deltadeskArrival = arrivalSamples;
}

function record(into: number[], receivedAt: number, at = performance.timeOrigin + performance.now()): void {
  if (!enabled || into.length >= 100_000) return;
  into.push(at - receivedAt);
}

export const recordTickToDom = (receivedAt: number): void => record(domSamples, receivedAt);
export const recordArrival = (receivedAt: number, arrivedAt: number): void => record(arrivalSamples, receivedAt, arrivedAt);
