import { describe, expect, it } from 'vitest';
import { EngineClient } from '../../../electron/border/engine-client.ts';
import type { EngineToHost } from '../../../electron/engine/host-protocol.ts';
import type { Alert } from '../../../shared/domain/alerts.ts';

/* The host hears the engine's critical alerts, checked first: a malformed one raises nothing. */
describe('alerts from the engine to the host', () => {
  it('passes a well-formed alert on and drops a malformed one', () => {
    let deliver: (m: EngineToHost) => void = () => undefined;
    const client = new EngineClient({ post: () => undefined, onMessage: (l) => (deliver = l) });
    const got: Alert[] = [];
    const off = client.onAlert((a) => got.push(a));
    const alert: Alert = { key: 'stale-feed|deribit', rule: 'stale-feed', subject: 'deribit', level: 'critical', peak: 'critical', message: 'Deribit reconnecting for 40 s', value: 40, threshold: 30, unit: 's', raisedAt: 1, updatedAt: 1, clearedAt: null, acknowledged: false, target: { workspace: 'options', figure: 'venue:deribit' }, restored: false };
    deliver({ type: 'alert', alert });
    deliver({ type: 'alert', alert: { ...alert, level: 'apocalyptic' } as unknown as Alert });
    deliver({ type: 'alert', alert: { message: 'no key' } as unknown as Alert });
    expect(got).toEqual([alert]);
    off();
    deliver({ type: 'alert', alert });
    expect(got).toHaveLength(1);
  });
});
