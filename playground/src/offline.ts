/**
 * "Go offline" without touching the machine's network, through the engine's own seams: the
 * session reads online/offline from this manual network source (fed by the browser's real
 * events too), and the server drops this user's socket, which is what an outage looks like from
 * the client. No socket is pointed anywhere bogus, so the browser logs nothing.
 */
import { manualNetwork } from '@nexmo-session/core';
import { fault } from './config.js';

export const network = manualNetwork(typeof navigator === 'undefined' ? true : navigator.onLine);
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => network.set(true));
  window.addEventListener('offline', () => network.set(false));
}

/** Offline: the engine hears it first (no attempt is spent while offline), then the socket goes. */
export async function setOnline(online: boolean, sub: string): Promise<void> {
  network.set(online);
  if (!online) await fault('drop', { sub });
}
