import { useEffect, useState } from 'react';

/** Wall-clock ms since epoch (sub-ms resolution), re-rendering every `intervalMs`, for age displays. */
export function useNow(intervalMs: number): number {
  const read = (): number => performance.timeOrigin + performance.now();
  const [now, setNow] = useState(read);
  useEffect(() => {
    const t = setInterval(() => setNow(read()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
