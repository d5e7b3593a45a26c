import type { AlertLevel } from '../../../../shared/domain/alerts.ts';

export const LEVEL_WORDS: Record<AlertLevel, string> = { info: 'Info', warning: 'Warning', critical: 'Critical' };

/** "12 s", "4 min", "2 h": how long ago, for an alert's age. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
