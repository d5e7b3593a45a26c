import { describe, expect, it } from 'vitest';
import { useTicketStore } from '../../../renderer/src/stores/ticket-store.ts';

describe('the ticket keeps what was typed for the market it shows', () => {
  it('drawn again for the same market it keeps the clicked price; another market clears it and disarms', () => {
    const t = () => useTicketStore.getState();
    t().resetFor('hyperliquid:hyperliquid:BTC-PERP');
    t().pickLevel('91560', 'ask');
    t().arm({ venue: 'hyperliquid', instrument: 'BTC', side: 'buy', size: 0.1, limit: 91_560, tif: 'Gtc', reduceOnly: false });
    // The ticket mounted anew (a panel appeared beside it): nothing the trader chose is lost.
    t().resetFor('hyperliquid:hyperliquid:BTC-PERP');
    expect(t().priceText).toBe('91560');
    expect(t().armed).not.toBeNull();
    // Deribit's perp for the same coin is another market: its price is not this one.
    t().resetFor('deribit:hyperliquid:BTC-PERP');
    expect(t().priceText).toBe('');
    expect(t().armed).toBeNull();
  });
});
