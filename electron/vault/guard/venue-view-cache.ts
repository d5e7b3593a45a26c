import type { ReadVenueView, VenueView } from './venue-view.ts';

/*
 * The guard's view of the venue without a round trip on every signature. Reading the venue's
 * mids, positions and open orders over /info before each signature cost a hedge 3–9 ms on
 * loopback and would cost a network round trip (tens of ms) live, on the order path. So:
 * - a view younger than `freshMs` is used as it is;
 * - one up to `maxAgeMs` old is used while a new read runs in the background;
 * - an older one (or none) is read first, and an unreadable venue still refuses the signature.
 * Orders signed meanwhile are not missed: the guard adds its own recent reservations (signed in
 * the last 15 s) to whatever the venue reported, so a stale view can only lag changes made
 * outside DeltaDesk, by at most `maxAgeMs`. Reads are shared: one in flight per account.
 */
export function cachedVenueView(read: ReadVenueView, options: { freshMs?: number; maxAgeMs?: number; now?: () => number } = {}): ReadVenueView {
  const freshMs = options.freshMs ?? 500;
  const maxAgeMs = options.maxAgeMs ?? 2_000;
  const now = options.now ?? Date.now;
  const views = new Map<string, { view: VenueView; at: number }>();
  const reading = new Map<string, Promise<VenueView>>();
  const refresh = (user: string): Promise<VenueView> => {
    let p = reading.get(user);
    if (!p) {
      const startedAt = now();
      p = read(user).then(
        (view) => {
          views.set(user, { view, at: startedAt });
          return view;
        },
      );
      p.finally(() => reading.delete(user)).catch(() => undefined);
      reading.set(user, p);
    }
    return p;
  };
  return async (user) => {
    const cached = views.get(user);
    const age = cached ? now() - cached.at : Infinity;
    if (cached && age <= freshMs) return cached.view;
    if (cached && age <= maxAgeMs) {
      void refresh(user).catch(() => undefined);
      return cached.view;
    }
    return refresh(user);
  };
}
