import { useSyncExternalStore } from 'react';

/** True while the window matches a CSS media query; re-renders when that changes (a resize). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const m = window.matchMedia(query);
      m.addEventListener('change', onChange);
      return () => m.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/** Below this width the screens drop their least-read columns rather than cut any figure. */
export const NARROW = '(max-width: 1400px)';
