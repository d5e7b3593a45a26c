import { ALERT_LEVELS, levelRank, RULE_INFO, type AlertLevel, type AlertRuleId, type AlertRuleSettings } from '../../../shared/domain/alerts.ts';

/*
 * A figure against a rule's thresholds, with hysteresis. Worsening escalates at once (a trader
 * wants a critical the moment it is critical); improving eases only once the figure is past the
 * threshold by the hysteresis, so a distance hovering at 10 % does not raise and clear every tick.
 */

function crossed(value: number, threshold: number, below: boolean): boolean {
  return below ? value <= threshold : value >= threshold;
}

/** Still inside the threshold's hysteresis zone (not yet far enough back to ease). */
function sticky(value: number, threshold: number, hysteresis: number, below: boolean): boolean {
  return below ? value < threshold + hysteresis : value > threshold - hysteresis;
}

/** The level a figure is at now, given the level it was at; null: no alert. */
export function levelFor(rule: AlertRuleId, s: AlertRuleSettings, value: number, previous: AlertLevel | null): AlertLevel | null {
  if (!s.enabled || Number.isNaN(value)) return null;
  const below = RULE_INFO[rule].direction === 'below';
  let raw: AlertLevel | null = null;
  for (const level of ALERT_LEVELS) {
    const t = s[level];
    if (t !== null && crossed(value, t, below)) raw = level;
  }
  if (levelRank(raw) >= levelRank(previous)) return raw;
  // Easing: hold the highest level at or below the previous one whose hysteresis zone still holds.
  for (let i = levelRank(previous) - 1; i >= 0; i--) {
    const level = ALERT_LEVELS[i]!;
    if (levelRank(level) <= levelRank(raw)) break;
    const t = s[level];
    if (t !== null && sticky(value, t, s.hysteresis, below)) return level;
  }
  return raw;
}

/** The threshold a level stands for (for the message), or the nearest one set. */
export function thresholdOf(s: AlertRuleSettings, level: AlertLevel): number {
  return s[level] ?? s.critical ?? s.warning ?? s.info ?? NaN;
}
