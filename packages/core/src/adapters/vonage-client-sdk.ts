/**
 * vonageClientTransport(client): the same store, hooks and components for apps on
 * @vonage/client-sdk 2.x. Measured behaviour (facts/vonage-sdks.md §3, §4):
 *
 * - There is no `connect()` and no `disconnect` event. Resume is `createSession(token, lastId)`,
 *   and the SDK forgets the id after a failure, so the adapter keeps the last one itself.
 * - `reconnecting` (no arguments) fires once per outage, at the first attempt (1–5 s after the
 *   loss), so the loss is reported then; the SDK's attempt count and delays are hidden (hard-coded
 *   5 attempts, jittered ≤ 5 s), so retryCount shows 1 and nextRetryAt is unknown.
 * - `reconnection` means connected again, same session.
 * - `sessionError('TRANSPORT_CLOSED')` is the end of the cycle. `sessionError('EXPIRED_TOKEN')`
 *   follows *any* server disconnect, so it only counts as expiry when the token is past `exp`;
 *   otherwise the adapter resumes at once with createSession(token, lastId).
 * - Token refresh is `refreshSession(token)` (an HTTP PUT) while a session is live.
 */
import { SessionError } from '../errors.js';
import { tokenStillValid } from '../token.js';
import type { SelfRetryingTransport as Transport, TransportHost } from '../transport/types.js';

/** The parts of VonageClient 2.x this adapter uses. */
export interface VonageClientLike {
  createSession(token: string, sessionId?: string | null): Promise<string>;
  refreshSession(token: string): Promise<unknown>;
  deleteSession(): Promise<unknown>;
  on(event: string, fn: (...args: never[]) => void): unknown;
  off(event: string, handle: unknown): unknown;
}

const codeOf = (err: unknown) => String((err as { code?: unknown } | null)?.code ?? '');

export function vonageClientTransport(client: VonageClientLike): Transport {
  if (!client || typeof client.createSession !== 'function' || typeof client.refreshSession !== 'function') {
    throw new TypeError('vonageClientTransport(client): expected a VonageClient 2.x instance.');
  }
  let host: TransportHost | null = null;
  let token: string | null = null;
  let lastId: string | null = null;
  let live = false;
  let lost = false;
  const handles: [string, unknown][] = [];

  function open(kind: 'login' | 'resume'): void {
    const h = host;
    if (!h || token === null) return;
    const wanted = kind === 'resume' ? lastId : null;
    client.createSession(token, wanted ?? undefined).then(
      (id) => {
        if (!host) return;
        const resumed = wanted !== null && id === wanted;
        lastId = id;
        live = true;
        lost = false;
        host.connected({ sessionId: id, userId: null, resumed });
      },
      (err: unknown) => {
        if (!host) return;
        const code = codeOf(err);
        if (code.includes('expired-token')) host.disconnected('TOKEN_EXPIRED');
        else if (code.includes('invalid-token') || code.includes('invalid-user') || code.includes('permission')) {
          host.loginFailed(
            new SessionError('error:client:login_failed', `The platform refused the token (${code}).`, err),
          );
        } else {
          // Unreachable platform, verify timeout, refused session: the attempt failed.
          host.reconnectionFailed();
        }
      },
    );
  }

  const onReconnecting = () => {
    if (!host || !live) return;
    live = false;
    lost = true;
    host.disconnected('CONNECTION_FAILED', null);
    host.reconnecting(1);
  };

  const onReconnection = () => {
    if (!host || lastId === null) return;
    live = true;
    lost = false;
    host.connected({ sessionId: lastId, userId: null, resumed: true });
  };

  const onSessionError = (reason: string) => {
    if (!host || lastId === null) return;
    const wasLive = live;
    live = false;
    if (reason === 'EXPIRED_TOKEN' && !tokenStillValid(token, host.clock.now())) {
      host.disconnected('TOKEN_EXPIRED');
      return;
    }
    if (reason === 'EXPIRED_TOKEN') {
      // A server disconnect with a token that is still good: resume straight away.
      host.disconnected('CONNECTION_FAILED', host.clock.now());
      host.reconnecting(1);
      open('resume');
      return;
    }
    if (wasLive && !lost) host.disconnected('CONNECTION_FAILED', null);
    lost = false;
    host.reconnectionFailed();
  };

  return {
    carriesMessages: false,
    attach(h) {
      host = h;
      handles.push(['reconnecting', client.on('reconnecting', onReconnecting)]);
      handles.push(['reconnection', client.on('reconnection', onReconnection)]);
      handles.push(['sessionError', client.on('sessionError', onSessionError as (...args: never[]) => void)]);
    },
    login(t) {
      token = t;
      lastId = host?.resumeInfo()?.sessionId ?? null;
      open(lastId ? 'resume' : 'login');
    },
    connect() {
      if (live) return;
      open(lastId ? 'resume' : 'login');
    },
    retryNow() {
      // The SDK's retry loop is internal and hard-coded; nothing to cut short.
    },
    async updateToken(t) {
      token = t;
      if (live) await client.refreshSession(t);
      return {};
    },
    suspend() {
      // The SDK cannot pause its loop without deleting the session; its attempts with the dead
      // token fail on their own and the engine already stopped listening for them.
      live = false;
    },
    async logout() {
      live = false;
      lastId = null;
      await client.deleteSession();
    },
    send() {
      // carriesMessages is false: the engine never calls this.
    },
    destroy() {
      for (const [event, handle] of handles.splice(0)) client.off(event, handle);
      host = null;
      live = false;
    },
  };
}
