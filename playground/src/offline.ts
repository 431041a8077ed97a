/**
 * "Go offline" without touching the machine's network: a manual network source (what the
 * engine sees) plus a WebSocket wrapper that, while offline, dials a closed port and closes
 * live sockets, which is what a real outage looks like to the client.
 */
import type { WebSocketConstructor } from '@nexmo-session/core';
import { manualNetwork } from '@nexmo-session/core';

export const network = manualNetwork(typeof navigator === 'undefined' ? true : navigator.onLine);
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => network.set(true));
  window.addEventListener('offline', () => network.set(false));
}

const live = new Set<WebSocket>();

export const OfflineAwareWebSocket = class extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    // Port 9 (discard) on loopback refuses at once: the attempt fails the way it would offline.
    super(network.isOnline() ? url : String(url).replace(/\/\/[^/]+/, '//127.0.0.1:9'), protocols);
    live.add(this);
    this.addEventListener('close', () => live.delete(this));
  }
} as unknown as WebSocketConstructor;

export function setOnline(online: boolean): void {
  if (!online) for (const ws of [...live]) ws.close(4000, 'offline');
  network.set(online);
}
