/**
 * One tab of the cross-tab e2e test: a real session against the reference server, with what the
 * test reads from outside kept on `window.probe`. Query: server, sub, ttl (token seconds), leadMs
 * (tokenRefreshLeadMs), crossTab (0 turns it off, to see the test fail without it).
 *
 * Times are Date.now() so the test can compare tabs: every page of the browser reads one clock.
 */
import type { SessionEventName, SessionState, WebSocketConstructor } from '@nexmo-session/core';
import { createSession, webSocketTransport } from '@nexmo-session/core';

const params = new URLSearchParams(location.search);
const server = params.get('server') ?? '';
const sub = params.get('sub') ?? 'alice';
const ttl = Number(params.get('ttl') ?? 3600);
const leadMs = params.get('leadMs');
const crossTab = params.get('crossTab') !== '0';

/** Every socket this tab opened: when the browser reported it closed. */
const sockets: { openedAt: number; closedAt: number | null }[] = [];
class RecordingWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    const record = { openedAt: Date.now(), closedAt: null as number | null };
    sockets.push(record);
    this.addEventListener('close', () => {
      record.closedAt = Date.now();
    });
  }
}

let fetches = 0;
async function fetchToken(): Promise<string> {
  fetches += 1;
  const res = await fetch(`${server}/dev/token?sub=${encodeURIComponent(sub)}&ttl=${ttl}`);
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

const session = createSession({
  transport: webSocketTransport(`${server.replace(/^http/, 'ws')}/ws`, {
    WebSocket: RecordingWebSocket as unknown as WebSocketConstructor,
  }),
  fetchToken,
  crossTab,
  ...(leadMs === null ? {} : { tokenRefreshLeadMs: Number(leadMs) }),
});

const events: { name: string; detail: string | null; at: number }[] = [];
for (const name of ['status', 'disconnect', 'token:refreshed', 'error'] satisfies SessionEventName[]) {
  session.on(name, (arg?: unknown) => {
    const detail =
      typeof arg === 'string' ? arg : arg && typeof arg === 'object' && 'type' in arg ? String(arg.type) : null;
    events.push({ name, detail, at: Date.now() });
  });
}

const probe = {
  events,
  sockets,
  fetches: () => fetches,
  state: (): Pick<
    SessionState,
    'status' | 'sessionId' | 'userId' | 'tokenStatus' | 'tokenExpiresAt' | 'disconnectReason' | 'error'
  > => {
    const { status, sessionId, userId, tokenStatus, tokenExpiresAt, disconnectReason, error } = session.getState();
    return { status, sessionId, userId, tokenStatus, tokenExpiresAt, disconnectReason, error };
  },
  /** Signs out; resolves with when it was asked to, before any work. */
  logout: (): number => {
    const at = Date.now();
    void session.logout();
    return at;
  },
  refreshToken: () =>
    session.refreshToken().then(
      () => null,
      (err: { type?: string }) => err.type ?? String(err),
    ),
  visibility: () => document.visibilityState,
};
export type Probe = typeof probe;
declare global {
  interface Window {
    probe: Probe;
  }
}
window.probe = probe;

session.login().catch(() => {
  /* in the store's error, which the test reads */
});
