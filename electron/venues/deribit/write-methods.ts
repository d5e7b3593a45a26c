/** Deribit's order actions: the requests that change orders or positions (everything else only reads). */
export const DERIBIT_WRITE_METHODS = ['private/buy', 'private/sell', 'private/edit', 'private/cancel', 'private/cancel_all', 'private/cancel_all_by_currency', 'private/cancel_by_label', 'private/close_position'] as const;
export type DeribitWriteMethod = (typeof DERIBIT_WRITE_METHODS)[number];
