/*
 * The headless host prints `http://127.0.0.1:PORT/#token=…`. A fragment is never sent to a
 * server, so the token travels only from the terminal to this page: it is taken here, removed from
 * the address bar (history, bookmarks and screenshots never show it) and kept for this tab only,
 * so a reload still connects. It is offered to the host as a WebSocket subprotocol.
 */
const KEY = 'deltadesk.launchToken';

export function takeLaunchToken(loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location, store: Pick<Storage, 'getItem' | 'setItem'> = sessionStorage, hist: Pick<History, 'replaceState'> = history): string | null {
  const fromHash = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    store.setItem(KEY, fromHash);
    hist.replaceState(null, '', `${loc.pathname}${loc.search}`);
    return fromHash;
  }
  return store.getItem(KEY);
}
