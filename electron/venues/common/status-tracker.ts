import type { ConnectionState, VenueId, VenueStatus } from '../../../shared/domain/venues.ts';

/** A recoverable problem stays in the badge's detail this long after it happened. */
const PROBLEM_SHOWN_MS = 30_000;
/** While messages flow, the status (with its last-message time) goes out at most this often. */
const FRESHNESS_EVERY_MS = 1_000;

/**
 * A venue's connection state as the trader sees it: the state, why, the latest recoverable problem,
 * and when a message last arrived. Emits when something visible changed, and while messages flow
 * about once a second, so "last message n s ago" on screen is true now, not as of the last change.
 */
export class StatusTracker {
  state: ConnectionState = 'disconnected';
  attempt = 0;
  lastMessageAt: number | null = null;
  private since: number;
  private detail = '';
  private problem: { text: string; at: number } | null = null;
  private lastEmitted = '';
  private lastEmittedMessageAt: number | null = null;
  private readonly venue: VenueId;
  private readonly paper: boolean;
  private readonly now: () => number;
  private readonly sink: (status: VenueStatus) => void;

  constructor(venue: VenueId, paper: boolean, now: () => number, sink: (status: VenueStatus) => void) {
    this.venue = venue;
    this.paper = paper;
    this.now = now;
    this.sink = sink;
    this.since = now();
  }

  status(): VenueStatus {
    const problemFresh = this.problem && this.now() - this.problem.at < PROBLEM_SHOWN_MS;
    return {
      venue: this.venue,
      state: this.state,
      paper: this.paper,
      detail: [this.detail, problemFresh ? this.problem!.text : ''].filter(Boolean).join(' · '),
      since: this.since,
      lastMessageAt: this.lastMessageAt,
      attempt: this.attempt,
    };
  }

  set(state: ConnectionState, detail: string): void {
    if (state !== this.state) {
      this.state = state;
      this.since = this.now();
      if (state === 'connected') this.attempt = 0;
    }
    this.detail = detail;
    this.emit();
  }

  /** A message arrived from the venue. */
  messageSeen(): void {
    const at = this.now();
    this.lastMessageAt = at;
    if (this.lastEmittedMessageAt === null || at - this.lastEmittedMessageAt >= FRESHNESS_EVERY_MS) this.emit(true);
  }

  problemSeen(text: string): void {
    this.problem = { text, at: this.now() };
    this.emit();
  }

  emit(fresh = false): void {
    const status = this.status();
    const key = `${status.state}|${status.detail}|${status.attempt}`;
    if (key === this.lastEmitted && !fresh) return;
    this.lastEmitted = key;
    this.lastEmittedMessageAt = status.lastMessageAt;
    this.sink(status);
  }
}
