import type { ConnectionState, VenueId, VenueStatus } from '../../../shared/domain/venues.ts';

/** A recoverable problem stays in the badge's detail this long after it happened. */
const PROBLEM_SHOWN_MS = 30_000;

/**
 * A venue's connection state as the trader sees it: the state, why, the latest recoverable problem,
 * and when a message last arrived. Emits only when something visible changed.
 */
export class StatusTracker {
  state: ConnectionState = 'disconnected';
  attempt = 0;
  lastMessageAt: number | null = null;
  private since: number;
  private detail = '';
  private problem: { text: string; at: number } | null = null;
  private lastEmitted = '';
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

  problemSeen(text: string): void {
    this.problem = { text, at: this.now() };
    this.emit();
  }

  emit(): void {
    const status = this.status();
    const key = `${status.state}|${status.detail}|${status.attempt}`;
    if (key === this.lastEmitted) return;
    this.lastEmitted = key;
    this.sink(status);
  }
}
