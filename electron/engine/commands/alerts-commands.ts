import type { MonitorDesk } from '../monitor/monitor-desk.ts';
import type { EngineHandlers } from './handlers.ts';

/** alerts.*: what is in force, a rule's thresholds, an acknowledgement. */
export function alertsCommands(monitor: MonitorDesk): EngineHandlers<'alerts'> {
  return {
    'alerts.list': () => monitor.snapshot(),
    'alerts.rule': (p) => monitor.setRule(p.rule, p.settings),
    'alerts.ack': (p) => ({ acknowledged: monitor.acknowledge(p.key) }),
    'alerts.topUp': (r) => monitor.setTopUp(r),
    'alerts.topUps': () => monitor.topUps.statuses(),
  };
}
