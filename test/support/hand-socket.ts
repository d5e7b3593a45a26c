import type { SocketLike } from '../../electron/venues/common/reconnecting-socket.ts';

/** A socket the test drives by hand: what the adapter sent, and venue events on demand. */
export class HandSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  private listeners = new Map<string, ((e: unknown) => void)[]>();
  addEventListener(type: string, l: (e: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l as (e: unknown) => void]);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  emit(type: string, e: unknown = {}): void {
    if (type === 'open') this.readyState = 1;
    for (const l of this.listeners.get(type) ?? []) l(e);
  }
}
