import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

// jsdom has no layout: panels measure 0 px and never resize.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;
afterEach(() => cleanup());
