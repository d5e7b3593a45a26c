/** What the engine's journal records; the journal screen filters by these. */
export const JOURNAL_KINDS = ['order', 'order-event', 'fill', 'position', 'hedge', 'alert', 'top-up', 'divest'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];
