/**
 * The effects layer: owns the store, the token timers, the outbox and the transport, and turns
 * the transport's reports into store transitions (transition.ts) and public events.
 *
 * Rule of thumb for every handler below: compute the next state with the pure transition, commit
 * it, and only then emit events, so a listener that reads `store.getState()` sees the new state.
 */
import type { StoreApi } from 'zustand/vanilla';
import { createStore } from 'zustand/vanilla';
import type { Clock } from './clock.js';
import { Timers } from './clock.js';
import { Emitter } from './emitter.js';
import { SessionError, toErrorInfo } from './errors.js';
import type { SessionOptions } from './options.js';
import { resolveOptions } from './options.js';
import { Outbox } from './outbox.js';
import type { ConnectionStatus, SessionState } from './state.js';
import { initialState } from './state.js';
import type { TokenClaims, TokenStatus } from './token.js';
import { decodeToken, expiryMs, refreshAtMs, tokenStatusAt } from './token.js';
import type { Input } from './transition.js';
import { transition } from './transition.js';
import type { ConnectedInfo, DisconnectReason, ServerEvent, TransportHost } from './transport/types.js';

/** The store as callers see it: readable and subscribable, never writable (only the engine writes). */
export type ReadonlyStore<T> = Pick<StoreApi<T>, 'getState' | 'getInitialState' | 'subscribe'>;

export interface SessionEvents {
  disconnect: [reason: DisconnectReason];
  reconnecting: [retryCount: number];
  reconnect: [];
  error: [error: SessionError];
  status: [status: ConnectionStatus];
  'session:resumed': [info: { sessionId: string }];
  'session:lost': [info: { previousSessionId: string; sessionId: string }];
  'token:expiring': [info: { expiresAt: number }];
  'token:refreshed': [info: { expiresAt: number | null }];
  message: [event: ServerEvent];
}

export type SessionEventName = keyof SessionEvents;

/** Every event a session emits, for event logs and devtools (kept in step with SessionEvents by the compiler). */
export const sessionEventNames = [
  'status',
  'disconnect',
  'reconnecting',
  'reconnect',
  'error',
  'session:resumed',
  'session:lost',
  'token:expiring',
  'token:refreshed',
  'message',
] as const satisfies readonly SessionEventName[];
// A compile error here means an event was added to SessionEvents but not to the list above.
const everyEventListed: Exclude<SessionEventName, (typeof sessionEventNames)[number]> extends never ? true : never =
  true;
void everyEventListed;

export interface Session {
  readonly store: ReadonlyStore<SessionState>;
  getState(): SessionState;
  on<K extends SessionEventName>(name: K, fn: (...args: SessionEvents[K]) => void): () => void;
  /** Log in with `token` (or options.token, or fetchToken). Resolves when connected. */
  login(token?: string): Promise<void>;
  /** Start a fresh connection cycle after failure or TOKEN_EXPIRED. Resolves when connected. */
  connect(): Promise<void>;
  /** While waiting between automatic attempts, start the next one now; after failure, connect(). */
  retryNow(): void;
  /** Use a new token: sent over the live connection, or kept for the next connect. */
  updateToken(token: string): Promise<void>;
  /** Fetch a token with options.fetchToken and use it. Concurrent calls share one fetch. */
  refreshToken(): Promise<void>;
  /** End the session: idle, timers cleared, socket closed, `disconnect('CLIENT_DISCONNECTED')`. */
  logout(): Promise<void>;
  /** Send an app message; resolves when the server acknowledges it (waits in the outbox offline). */
  send(body: unknown): Promise<void>;
  /** Release everything without events. The session cannot be used afterwards. */
  destroy(): void;
  readonly destroyed: boolean;
  /** The session's clock: UIs count down on it, so stories and tests control time in one place. */
  readonly clock: Clock;
  /** True when options.fetchToken is set: `refreshToken()` can get a new token by itself. */
  readonly canRefreshToken: boolean;
  /** Counts for leak tests: pending engine timers and registered listeners. */
  readonly debug: { pendingTimers(): number; listenerCount(): number };
}

/** Largest app message body, serialised: the reference server's frame limit minus envelope room. */
export const maxMessageBytes = 60 * 1024;

type TokenTimer = 'token-expiring' | 'token-expired' | 'token-refresh';

interface Waiter {
  resolve(): void;
  reject(err: SessionError): void;
}

export function createSession(options: SessionOptions): Session {
  const opts = resolveOptions(options);
  const { clock, transport } = opts;
  const store = createStore<SessionState>()(() => initialState(opts.reconnect.maxRetries, 'online'));
  const emitter = new Emitter<SessionEvents>();
  const timers = new Timers<TokenTimer>(clock);
  const outbox = new Outbox(opts.outboxMax);
  let waiters: Waiter[] = [];

  let token: string | null = null;
  let tokenReceivedAt = 0;
  let tokenExp: number | null = null; // epoch ms on the server's clock, from the JWT
  let clockOffsetMs = 0; // server clock − local clock, learned from session:success
  let resumeWindowMs = opts.resumeWindowMs;
  let refreshing: Promise<void> | null = null;
  let unsubscribeNetwork: (() => void) | null = null;
  let destroyed = false;

  const state = () => store.getState();

  // `status` is derived, so it is emitted after the documented events of the same step
  // (the seed: `disconnect` is the first callback). Host reports and API calls flush it when
  // they finish; a microtask flushes whatever a timer path left.
  let emittedStatus = store.getState().status;
  let flushQueued = false;
  function flushStatus(): void {
    const { status } = store.getState();
    if (status === emittedStatus || destroyed) return;
    emittedStatus = status;
    emitter.emit('status', status);
  }

  function dispatch(input: Input): SessionState {
    const prev = store.getState();
    const next = transition(prev, input);
    if (next !== prev) {
      store.setState(next, true);
      if (next.status !== prev.status && !flushQueued) {
        flushQueued = true;
        queueMicrotask(() => {
          flushQueued = false;
          flushStatus();
        });
      }
    }
    return prev;
  }

  // --- connect waiters: login()/connect() promises settle when the cycle ends ---------------
  function wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      waiters.push({ resolve, reject });
    });
  }
  function settle(err?: SessionError): void {
    const current = waiters;
    waiters = [];
    for (const w of current) err ? w.reject(err) : w.resolve();
  }

  // --- tokens --------------------------------------------------------------------------------
  /** Local-clock expiry of the current token. */
  function localExpiry(): number | null {
    return tokenExp === null ? null : tokenExp - clockOffsetMs;
  }
  function currentTokenStatus(): TokenStatus {
    return tokenStatusAt(clock.now(), localExpiry(), opts.tokenExpiringMs);
  }
  function tokenIsDead(): boolean {
    const exp = localExpiry();
    return exp !== null && clock.now() >= exp;
  }

  function adoptToken(next: string, expMs: number | null): void {
    token = next;
    tokenExp = expMs;
    tokenReceivedAt = clock.now();
    // A freshly adopted token ends any refresh, so its status is computed, never 'refreshing'.
    dispatch({ type: 'TOKEN', expiresAt: localExpiry(), status: currentTokenStatus() });
    scheduleTokenTimers();
  }

  function scheduleTokenTimers(): void {
    timers.clear('token-expiring');
    timers.clear('token-expired');
    timers.clear('token-refresh');
    const exp = localExpiry();
    if (exp === null || state().status === 'idle') return;
    const now = clock.now();
    if (opts.tokenExpiringMs > 0 && now < exp - opts.tokenExpiringMs) {
      timers.set('token-expiring', exp - opts.tokenExpiringMs, onTokenExpiring);
    }
    if (now < exp) timers.set('token-expired', exp, onTokenExpired);
    if (opts.fetchToken) {
      timers.set('token-refresh', Math.max(now, refreshAtMs(tokenReceivedAt, exp, opts.tokenRefreshLeadMs)), () => {
        refreshToken().catch(() => {
          /* reported through the error event; retried below */
        });
      });
    }
  }

  function onTokenExpiring(): void {
    if (state().tokenStatus !== 'refreshing') dispatch({ type: 'TOKEN_STATUS', status: 'expiring' });
    const exp = localExpiry();
    if (exp !== null) emitter.emit('token:expiring', { expiresAt: exp });
  }

  function onTokenExpired(): void {
    if (state().tokenStatus !== 'refreshing') dispatch({ type: 'TOKEN_STATUS', status: 'expired' });
    // While connected the server ends the connection itself (TOKEN_EXPIRED). While retrying,
    // every further attempt would be refused, so stop now instead of burning attempts.
    if (state().status === 'reconnecting') stopForDeadToken();
  }

  function stopForDeadToken(): void {
    transport.suspend();
    dispatch({ type: 'TOKEN_EXPIRED', now: clock.now(), resumeWindowMs });
    emitter.emit('disconnect', 'TOKEN_EXPIRED');
    flushStatus();
    recoverToken();
  }

  /** With fetchToken: fetch, update, reconnect, inside the resume window. Without: the app does. */
  function recoverToken(): void {
    if (!opts.fetchToken) return;
    refreshToken()
      .then(() => (state().status === 'disconnected' ? connect() : undefined))
      .catch(() => {
        /* surfaced as an error event and in state.error */
      });
  }

  function refreshToken(): Promise<void> {
    if (destroyed) return Promise.reject(destroyedError());
    const { fetchToken } = opts;
    if (!fetchToken) {
      return Promise.reject(
        new SessionError('error:client:invalid_state', 'refreshToken() needs the fetchToken option.'),
      );
    }
    if (state().status === 'idle') {
      return Promise.reject(new SessionError('error:client:invalid_state', 'refreshToken(): not logged in.'));
    }
    if (refreshing) return refreshing;
    dispatch({ type: 'TOKEN_STATUS', status: 'refreshing' });
    timers.clear('token-refresh');
    const run = (async () => {
      let fresh: string;
      try {
        fresh = await fetchToken();
      } catch (cause) {
        throw new SessionError('error:client:token_refresh_failed', 'fetchToken() rejected.', cause);
      }
      await applyToken(fresh);
    })();
    refreshing = run.then(
      () => {
        refreshing = null;
      },
      (err: unknown) => {
        refreshing = null;
        if (destroyed || state().status === 'idle') throw err;
        const error =
          err instanceof SessionError && err.type === 'error:client:token_refresh_failed'
            ? err
            : new SessionError('error:client:token_refresh_failed', 'Token refresh failed.', err);
        dispatch({ type: 'TOKEN_STATUS', status: currentTokenStatus() });
        dispatch({ type: 'ERROR', error: toErrorInfo(error) });
        emitter.emit('error', error);
        // Try once more later while the old token still has life in it.
        const exp = localExpiry();
        const now = clock.now();
        if (exp !== null && now < exp) timers.set('token-refresh', now + Math.min(5000, (exp - now) / 2), retryRefresh);
        throw error;
      },
    );
    return refreshing;
  }

  function retryRefresh(): void {
    refreshToken().catch(() => {});
  }

  /** Hand a token to the transport (a live update while connected), then adopt it. */
  async function applyToken(next: string, claims: TokenClaims = decodeToken(next)): Promise<void> {
    const result = await transport.updateToken(next);
    if (destroyed || state().status === 'idle') return;
    adoptToken(next, result.tokenExpiresAt ?? expiryMs(claims));
    if (state().error?.type === 'error:client:token_refresh_failed') dispatch({ type: 'ERROR', error: null });
    emitter.emit('token:refreshed', { expiresAt: localExpiry() });
  }

  // --- the transport's reports ----------------------------------------------------------------
  const live = () => !destroyed && state().status !== 'idle';

  const host: TransportHost = {
    clock,
    reconnect: opts.reconnect,
    random: opts.random,
    heartbeat: opts.heartbeat,
    resumeInfo() {
      const { sessionId, lastSeq } = state();
      return sessionId === null ? null : { sessionId, lastSeq };
    },

    connected(info: ConnectedInfo) {
      if (!live()) return;
      if (info.serverTime !== undefined) clockOffsetMs = info.serverTime - clock.now();
      if (info.resumeWindowMs !== undefined) resumeWindowMs = info.resumeWindowMs;
      const prev = dispatch({ type: 'CONNECTED', now: clock.now(), info });
      if (info.tokenExpiresAt !== undefined) tokenExp = info.tokenExpiresAt;
      dispatch({ type: 'TOKEN', expiresAt: localExpiry(), status: refreshing ? 'refreshing' : currentTokenStatus() });
      scheduleTokenTimers();

      if (prev.connectionLostAt !== null || prev.status === 'reconnecting') emitter.emit('reconnect');
      // resumed: null (issue 18): the transport cannot tell which session the platform answered,
      // so neither a resume nor a loss is claimed.
      if (prev.sessionId !== null && info.resumed !== null) {
        if (prev.sessionId === info.sessionId) emitter.emit('session:resumed', { sessionId: info.sessionId });
        else emitter.emit('session:lost', { previousSessionId: prev.sessionId, sessionId: info.sessionId });
      }
      // Everything unacknowledged goes (again): mids make repeats harmless.
      for (const message of outbox.unacked()) transport.send(message);
      settle();
    },

    disconnected(reason, nextAttemptAt) {
      if (!live()) return;
      const now = clock.now();
      if (reason === 'CLIENT_DISCONNECTED') {
        // The session was ended from elsewhere (server or SDK): same outcome as logout().
        endSession(new SessionError('error:client:logged_out', 'The session was ended.'));
        emitter.emit('disconnect', 'CLIENT_DISCONNECTED');
        return;
      }
      if (reason === 'TOKEN_EXPIRED') {
        dispatch({ type: 'TOKEN_EXPIRED', now, resumeWindowMs });
        emitter.emit('disconnect', 'TOKEN_EXPIRED');
        settle(new SessionError('error:client:token_expired', 'The token expired; update it and connect().'));
        recoverToken();
        return;
      }
      if (tokenIsDead()) {
        // Retrying with a dead token only burns attempts: go the TOKEN_EXPIRED way at once.
        stopForDeadToken();
        return;
      }
      const prev = dispatch({ type: 'CONNECTION_LOST', now, retryAt: nextAttemptAt ?? null, resumeWindowMs });
      if (prev.status === 'connected') emitter.emit('disconnect', 'CONNECTION_FAILED');
    },

    retryScheduled(attempt, atMs) {
      if (!live()) return;
      if (tokenIsDead()) {
        stopForDeadToken();
        return;
      }
      dispatch({ type: 'RETRY_SCHEDULED', now: clock.now(), attempt, at: atMs, resumeWindowMs });
    },

    reconnecting(attempt) {
      if (!live()) return;
      const prev = dispatch({ type: 'ATTEMPT', now: clock.now(), attempt });
      if (prev.status === 'reconnecting') emitter.emit('reconnecting', attempt);
    },

    reconnectionFailed() {
      if (!live()) return;
      const error = new SessionError(
        'error:client:reconnection_failed',
        `Reconnection failed after ${opts.reconnect.maxRetries} attempts; call connect() to try again.`,
      );
      const prev = dispatch({ type: 'RECONNECTION_FAILED', error: toErrorInfo(error) });
      if (prev.status !== 'reconnecting' && prev.status !== 'connecting') return;
      emitter.emit('error', error);
      settle(error);
    },

    loginFailed(error) {
      if (!live()) return;
      dispatch({ type: 'LOGIN_FAILED', error: toErrorInfo(error) });
      emitter.emit('error', error);
      settle(error);
    },

    message(event) {
      if (!live()) return;
      // Each server event exactly once: replays after a resume may repeat what we already have.
      if (event.seq <= state().lastSeq) return;
      dispatch({ type: 'SEQ', seq: event.seq });
      emitter.emit('message', event);
    },

    acked(mid) {
      if (!live()) return;
      if (outbox.ack(mid)) dispatch({ type: 'OUTBOX', size: outbox.size });
    },

    warn(error) {
      if (!live()) return;
      emitter.emit('error', error);
    },
  };

  // Every report ends by announcing the status it led to, after its own events.
  for (const key of Object.keys(host) as (keyof TransportHost)[]) {
    const value = host[key];
    if (typeof value === 'function' && key !== 'resumeInfo') {
      (host as unknown as Record<string, unknown>)[key] = (...args: unknown[]) => {
        try {
          return (value as (...a: unknown[]) => unknown).apply(host, args);
        } finally {
          flushStatus();
        }
      };
    }
  }
  transport.attach(host);

  // --- network ----------------------------------------------------------------------------------
  function watchNetwork(): void {
    if (unsubscribeNetwork) return;
    dispatch({ type: 'NETWORK', online: opts.network.isOnline() });
    unsubscribeNetwork = opts.network.subscribe((online) => {
      if (!live()) return;
      dispatch({ type: 'NETWORK', online });
      if (!online || opts.whenOnline === 'ignore') return;
      const { status, disconnectReason } = state();
      if (status === 'reconnecting') transport.retryNow();
      else if (opts.whenOnline === 'connect' && status === 'disconnected' && disconnectReason === 'CONNECTION_FAILED') {
        connect().catch(() => {});
      }
    });
  }

  // --- API --------------------------------------------------------------------------------------
  function destroyedError(): SessionError {
    return new SessionError('error:client:destroyed', 'This session was destroyed.');
  }

  async function login(given?: string): Promise<void> {
    if (destroyed) throw destroyedError();
    if (given !== undefined && typeof given !== 'string') {
      throw new SessionError('error:client:token_invalid', 'login(token): token must be a JWT string.');
    }
    if (state().status !== 'idle') {
      throw new SessionError(
        'error:client:invalid_state',
        `login() while ${state().status}: log out first, or use updateToken()/connect().`,
      );
    }
    let next = given ?? opts.token;
    if (next === undefined && !opts.fetchToken) {
      throw new SessionError('error:client:invalid_state', 'login() needs a token (argument or option) or fetchToken.');
    }
    // Decoded (and so validated, token_invalid) before any state change.
    let claims = next === undefined ? null : decodeToken(next);
    dispatch({ type: 'LOGIN' });
    flushStatus();
    watchNetwork();
    const done = wait();
    if (next === undefined && opts.fetchToken) {
      try {
        next = await opts.fetchToken();
        claims = decodeToken(next);
      } catch (cause) {
        const error =
          cause instanceof SessionError
            ? cause
            : new SessionError('error:client:login_failed', 'fetchToken() rejected during login.', cause);
        if (live()) host.loginFailed(error);
        return done;
      }
      if (!live()) return done;
    }
    adoptToken(next as string, expiryMs(claims as TokenClaims));
    transport.login(next as string);
    return done;
  }

  async function connect(): Promise<void> {
    if (destroyed) throw destroyedError();
    const { status } = state();
    if (status === 'idle' || token === null) {
      throw new SessionError('error:client:invalid_state', 'connect() needs a session: call login(token) first.');
    }
    if (status === 'connected') return;
    if (status === 'connecting') return wait();
    if (status === 'reconnecting') {
      const done = wait();
      transport.retryNow();
      return done;
    }
    if (tokenIsDead()) {
      if (!opts.fetchToken) {
        throw new SessionError(
          'error:client:token_expired',
          'The token has expired: call updateToken(newToken) first.',
        );
      }
      await refreshToken();
      if (state().status !== 'disconnected') return state().status === 'connected' ? undefined : wait();
    }
    dispatch({ type: 'CONNECT' });
    flushStatus();
    const done = wait();
    transport.connect();
    return done;
  }

  function retryNow(): void {
    if (destroyed) return;
    const { status } = state();
    if (status === 'reconnecting') transport.retryNow();
    else if (status === 'disconnected') connect().catch(() => {});
  }

  async function updateToken(next: string): Promise<void> {
    if (destroyed) throw destroyedError();
    const claims = decodeToken(next);
    if (state().status === 'idle') {
      throw new SessionError('error:client:invalid_state', 'updateToken(): not logged in; use login(token).');
    }
    await applyToken(next, claims);
  }

  /** Shared by logout(), a server-side end and destroy(): nothing survives it. */
  function endSession(reason: SessionError): void {
    timers.clearAll();
    unsubscribeNetwork?.();
    unsubscribeNetwork = null;
    token = null;
    tokenExp = null;
    clockOffsetMs = 0;
    resumeWindowMs = opts.resumeWindowMs;
    outbox.rejectAll(reason);
    dispatch({ type: 'LOGGED_OUT' });
    settle(reason);
  }

  async function logout(): Promise<void> {
    if (destroyed || state().status === 'idle') return;
    endSession(new SessionError('error:client:logged_out', 'Logged out.'));
    emitter.emit('disconnect', 'CLIENT_DISCONNECTED');
    flushStatus();
    try {
      await transport.logout();
    } catch {
      // The local session is gone either way; the server forgets it when its window passes.
    }
  }

  function send(body: unknown): Promise<void> {
    if (destroyed) return Promise.reject(destroyedError());
    const { status } = state();
    if (status === 'idle') {
      return Promise.reject(new SessionError('error:client:invalid_state', 'send(): not logged in.'));
    }
    if (transport.carriesMessages === false) {
      return Promise.reject(
        new SessionError(
          'error:client:invalid_state',
          "send(): this transport does not carry app messages; use the SDK's API.",
        ),
      );
    }
    let size: number;
    try {
      const json = JSON.stringify(body);
      if (json === undefined) throw new TypeError('not JSON-serialisable');
      size = new TextEncoder().encode(json).length;
    } catch (cause) {
      return Promise.reject(
        new SessionError('error:client:invalid_message', 'send(body): body must be JSON-serialisable.', cause),
      );
    }
    if (size > maxMessageBytes) {
      return Promise.reject(
        new SessionError('error:client:message_too_big', `send(body): ${size} bytes exceeds ${maxMessageBytes}.`),
      );
    }
    let accepted: ReturnType<Outbox['add']>;
    try {
      accepted = outbox.add(body, status !== 'connected');
    } catch (err) {
      return Promise.reject(err);
    }
    dispatch({ type: 'OUTBOX', size: outbox.size });
    if (status === 'connected') transport.send(accepted.message);
    return accepted.done;
  }

  function destroy(): void {
    if (destroyed) return;
    endSession(destroyedError());
    destroyed = true;
    transport.destroy();
    emitter.clear();
  }

  const readonlyStore: ReadonlyStore<SessionState> = {
    getState: store.getState,
    getInitialState: store.getInitialState,
    subscribe: store.subscribe,
  };

  return {
    store: readonlyStore,
    getState: store.getState,
    on: (name, fn) => emitter.on(name, fn),
    login,
    connect,
    retryNow,
    updateToken,
    refreshToken,
    logout,
    send,
    destroy,
    get destroyed() {
      return destroyed;
    },
    clock,
    canRefreshToken: opts.fetchToken !== undefined,
    debug: {
      pendingTimers: () => timers.size,
      listenerCount: () => emitter.listenerCount(),
    },
  };
}
