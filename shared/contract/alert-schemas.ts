import { z } from 'zod';
import { ALERT_LEVELS, ALERT_RULES, ruleSettingsProblem, type AlertRuleId } from '../domain/alerts.ts';
import { TOP_UP_MODES, topUpRuleProblem } from '../domain/top-up.ts';

/** Alerts over the border: the snapshot the screen shows, a rule's thresholds, an acknowledgement. */
const n = z.number();
const threshold = z.number().finite().min(-1e12).max(1e12).nullable();

export const alertRuleIdSchema = z.enum(ALERT_RULES);

export const alertRuleSettingsSchema = z
  .object({ enabled: z.boolean(), info: threshold, warning: threshold, critical: threshold, hysteresis: z.number().finite().min(0).max(1e12) })
  .strict();

export const alertRulesSchema = z.object(Object.fromEntries(ALERT_RULES.map((r) => [r, alertRuleSettingsSchema])) as Record<AlertRuleId, typeof alertRuleSettingsSchema>).strict();

/** One rule's new settings, refused in words when its thresholds are out of order. */
export const alertRuleSetSchema = z
  .object({ rule: alertRuleIdSchema, settings: alertRuleSettingsSchema })
  .strict()
  .superRefine((v, ctx) => {
    const problem = ruleSettingsProblem(v.rule, v.settings);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['settings'] });
  });

export const alertSchema = z.object({
  key: z.string(),
  rule: alertRuleIdSchema,
  subject: z.string(),
  level: z.enum(ALERT_LEVELS),
  peak: z.enum(ALERT_LEVELS),
  message: z.string(),
  value: n,
  threshold: n,
  unit: z.string(),
  raisedAt: n,
  updatedAt: n,
  clearedAt: n.nullable(),
  acknowledged: z.boolean(),
  target: z.object({ workspace: z.enum(['market', 'options', 'portfolio', 'vault', 'journal']), figure: z.string() }),
  restored: z.boolean(),
});

export const alertsSnapshotSchema = z.object({ active: z.array(alertSchema), recent: z.array(alertSchema), rules: alertRulesSchema, evaluatedAt: n.nullable() });

export const alertKeySchema = z.object({ key: z.string().min(1).max(400) }).strict();

/** A top-up rule for one isolated position; refused in words when the target is not past the trigger. */
export const topUpRuleSchema = z
  .object({
    position: z.string().regex(/^(hyperliquid:0x[0-9a-f]{40}:[A-Z0-9]{1,12}-PERP|aave:0x[0-9a-f]{40})$/, 'expected a Hyperliquid position id such as hyperliquid:0x…:ETH-PERP, or aave:0x… for an Aave account'),
    mode: z.enum(TOP_UP_MODES),
    trigger: z.number().finite().min(0).max(100),
    target: z.number().finite().min(0).max(500),
    maxUsd: z.number().finite().min(0).max(1e9),
    minIntervalMs: z.number().int().min(5_000).max(86_400_000),
    source: z.string().regex(/^[A-Z0-9]{1,12}$/).optional(),
    gasCapGwei: z.number().finite().positive().max(1_000).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const problem = topUpRuleProblem(r);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const topUpStatusSchema = z.object({
  rule: topUpRuleSchema,
  current: n.nullable(),
  state: z.enum(['off', 'watching', 'waiting', 'checking', 'paused']),
  reason: z.string().nullable(),
  last: z.object({ at: n, what: z.enum(['sent', 'dry-run', 'failed', 'verified', 'short']), amountUsd: n, detail: z.string() }).nullable(),
  spent24hUsd: n,
});
