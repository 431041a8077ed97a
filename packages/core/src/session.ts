/**
 * The engine: one explicit machine (machine.ts) driven by inputs — API calls, connection reports,
 * timers, network changes, the token manager — and the effects of entering and leaving its states.
 *
 * Three rules hold everything together:
 * 1. Run to completion. Inputs are processed one at a time; an input raised while another is being
 *    processed (by a listener, an effect or a synchronous report) waits in the queue. Each step
 *    computes the next state, runs its effects, commits the store, then emits its events
 *    (documented events first, `status` last), so a listener always reads the new state.
 * 2. Timers belong to states. Entering a state arms them in `stateTimers`; leaving it cancels
 *    them all, so no wait outlives the state that needed it.
 * 3. Generations. login(), logout() and destroy() start a new generation; a connection, a token
 *    fetch or a request answer that arrives for an older one is dropped.
 */
import type { StoreApi } from 'zustand/vanilla';
import { createStore } from 'zustand/vanilla';
import { backoffDelayMs } from './backoff.js';
import type { Clock } from './clock.js';
import { TimerGroup } from './clock.js';
import { Emitter } from './emitter.js';
import type { SessionErrorInfo } from './errors.js';
import { SessionError, toErrorInfo } from './errors.js';
import type { MachineState } from './machine.js';
import { retryFields, statusOf } from './machine.js';
import type { NetworkChange } from './network.js';
import type { SessionOptions } from './options.js';
import { resolveOptions } from './options.js';
import { Outbox } from './outbox.js';
import type { NackCode } from './protocol/index.js';
import { maxBodyDepth, messageEnvelopeBytes } from './protocol/index.js';
import type { ConnectionStatus, Notice, SessionState } from './state.js';
import { initialState } from './state.js';
import { decodeToken } from './token.js';
import { TokenManager } from './token-manager.js';
import type {
  ConnectedInfo,
  Connection,
  ConnectionClosed,
  Connector,
  DisconnectReason,
  OutgoingMessage,
  SelfRetryingTransport,
  ServerEvent,
} from './transport/types.js';
import { isConnector } from './transport/types.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

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
type Listed<T extends true> = T;
export type EveryEventListed = Listed<
  Exclude<SessionEventName, (typeof sessionEventNames)[number]> extends never ? true : false
>;

export interface Session {
  readonly store: ReadonlyStore<SessionState>;
  getState(): SessionState;
  on<K extends SessionEventName>(name: K, fn: (...args: SessionEvents[K]) => void): () => void;
  /** Log in with `token` (or options.token, or fetchToken). Resolves when connected. */
  login(token?: string): Promise<void>;
  /** Start a fresh connection cycle after failure or TOKEN_EXPIRED. Resolves when connected. */
  connect(): Promise<void>;
  /** While waiting for an automatic attempt, start it now (it costs no extra attempt); after failure, connect(). */
  retryNow(): void;
  /** Use a new token: sent over the live connection (resolves when the server took it), or kept for the next connect. */
  updateToken(token: string): Promise<void>;
  /**
   * Get a new token with options.fetchToken and use it. Concurrent calls share one fetch. After
   * TOKEN_EXPIRED the engine reconnects with it by itself.
   */
  refreshToken(): Promise<void>;
  /** End the session: idle, timers cleared, socket closed, `disconnect('CLIENT_DISCONNECTED')`. */
  logout(): Promise<void>;
  /** Send an app message; resolves when the server acknowledges it (waits in the outbox offline). */
  send(body: unknown): Promise<void>;
  /** Clear a notice that stays until dismissed (`session-lost`). */
  dismissNotice(): void;
  /** Release everything without events. The session cannot be used afterwards. */
  destroy(): void;
  readonly destroyed: boolean;
  /** The session's clock: UIs count down on it, so stories and tests control time in one place. */
  readonly clock: Clock;
  /** True when options.fetchToken is set: `refreshToken()` can get a new token by itself. */
  readonly canRefreshToken: boolean;
  /** For devtools and leak tests: the machine state, the outbox, pending timers, listeners. */
  readonly debug: {
    state(): MachineState['name'];
    /** Messages accepted and not acknowledged, oldest first; `sentAt` null while waiting their turn. */
    outbox(): { mid: string; body: unknown; sentAt: number | null }[];
    /** The token in use on the local clock: issued (`iat`), proactive refresh due, expiry. */
    token(): { issuedAt: number | null; refreshAt: number | null; expiresAt: number | null };
    pendingTimers(): number;
    listenerCount(): number;
  };
}

/** Largest app message body, serialised: the protocol's frame limit minus envelope room. */
export const maxMessageBytes = 64 * 1024 - messageEnvelopeBytes;

/** True when `value` nests more than `limit` arrays/objects deep (the server would refuse it). */
function deeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return limit === 0 || Object.values(value).some((v) => deeperThan(v, limit - 1));
}

interface Waiter {
  resolve(): void;
  reject(err: SessionError): void;
}

const noop = () => {};
const connectionFailures: ReadonlySet<string> = new Set([
  'error:client:reconnection_failed',
  'error:client:unreachable',
  'error:client:websocket_unavailable',
]);
const destroyedError = () =>
  new SessionError(
    'error:client:destroyed',
    process.env.NODE_ENV !== 'production' ? 'This session was destroyed.' : '',
  );
/** `reason` tells the causes apart where the production text does not (errors.ts). */
const invalidState = (message: string, reason: string) =>
  new SessionError('error:client:invalid_state', message, undefined, { reason });
const tokenExpiredError = () =>
  new SessionError(
    'error:client:token_expired',
    process.env.NODE_ENV !== 'production' ? 'The token expired: call updateToken(newToken), then connect().' : '',
  );

export function createSession(options: SessionOptions): Session {
  const opts = resolveOptions(options);
  const { clock, transport, backoff } = opts;
  const connector: Connector | null = isConnector(transport) ? transport : null;
  const selfRetrying: SelfRetryingTransport | null = isConnector(transport) ? null : transport;
  const carriesMessages = connector !== null || selfRetrying?.carriesMessages !== false;
  const heartbeat = connector?.heartbeat ?? opts.heartbeat;
  const probeTimeoutMs = heartbeat ? heartbeat.timeoutMs : 10_000;
  const attemptTimeoutMs = connector?.attemptTimeoutMs ?? 10_000;

  const store = createStore<SessionState>()(() => initialState(backoff.maxRetries, 'online'));
  const emitter = new Emitter<SessionEvents>();
  const outbox = new Outbox(opts.outboxMax, opts.maxInFlight);
  /** Timers of the current state; cancelled whenever the state changes. */
  const stateTimers = new TimerGroup(clock);
  /** The "show after" timer of the current outage, which spans several states. */
  const outageTimers = new TimerGroup(clock);

  let state: MachineState = { name: '@idle' };
  let destroyed = false;
  let conn: Connection | null = null;
  /** Bumped for every attempt and whenever its connection is let go: reports from older ones are dropped. */
  let attemptSeq = 0;
  let sessionId: string | null = null;
  let userId: string | null = null;
  let lastConnect: SessionState['lastConnect'] = null;
  let lastSeq = 0;
  let resumeWindowMs = opts.resumeWindowMs;
  let disconnectReason: DisconnectReason | null = null;
  let error: SessionErrorInfo | null = null;
  let outage: { since: number; visible: boolean } | null = null;
  /** A notice that outlives its moment: reconnected / resumed (timed) or session-lost (until dismissed). */
  let transient: Notice | null = null;
  /** The last failed attempt, as the cause of reconnection_failed. */
  let lastFailure: SessionError | null = null;
  let network: 'online' | 'offline' = opts.network.isOnline() ? 'online' : 'offline';
  let unsubscribeNetwork: (() => void) | null = null;
  let waiters: Waiter[] = [];
  let probeTimer: number | null = null;
  let pumpTimer: number | null = null;
  let ackTimer: number | null = null;

  // --- run to completion ------------------------------------------------------------------------
  // An input is one step of the machine: a function run by `dispatch`, one at a time. The inputs
  // are the API calls below, the connection's reports (startAttempt), the self-retrying host's
  // reports, the token manager's, network changes and the state timers.
  const queue: (() => void)[] = [];
  let busy = false;
  /** Events of the step being processed, emitted after its commit. */
  let pending: (() => void)[] = [];
  let emittedStatus: ConnectionStatus = 'idle';

  function dispatch(step: () => void): void {
    queue.push(step);
    if (busy) return;
    busy = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        if (destroyed && next !== destroyStep) continue;
        next();
        commit();
        const events = pending;
        pending = [];
        for (const emit of events) {
          if (destroyed) break; // destroy() releases everything without events
          emit();
        }
        const { status } = store.getState();
        if (status !== emittedStatus && !destroyed) {
          emittedStatus = status;
          emitter.emit('status', status);
        }
      }
    } finally {
      busy = false;
      queue.length = 0;
    }
  }

  /** A report handler that runs `step` as an input. */
  const input =
    <A extends unknown[]>(step: (...args: A) => void) =>
    (...args: A) =>
      dispatch(() => step(...args));

  function emit<K extends SessionEventName>(name: K, ...args: SessionEvents[K]): void {
    pending.push(() => emitter.emit(name, ...args));
  }

  const tokens = new TokenManager(opts, {
    sendUpdate(token) {
      const connected = state.name === '@ok.connected';
      if (selfRetrying) {
        // A self-retrying transport keeps the token for its own next attempt even while down.
        const answer = selfRetrying.updateToken(token);
        if (connected) {
          return answer.then((r) => (r.tokenExpiresAt === undefined ? null : { tokenExpiresAt: r.tokenExpiresAt }));
        }
        answer.catch(noop);
        return null;
      }
      return connected && conn ? conn.updateToken(token) : null;
    },
    changed: input(noop), // a step that only commits the store
    expiring: input((expiresAt) => {
      if (state.name !== '@idle') emit('token:expiring', { expiresAt });
    }),
    refreshed: input((expiresAt) => {
      if (state.name === '@idle') return;
      clearTokenError();
      emit('token:refreshed', { expiresAt });
    }),
    failed: input((err, _purpose, final) => {
      if (state.name === '@idle') return;
      error = toErrorInfo(err);
      emit('error', err);
      if (!final) return;
      if (state.name === '@connecting.token') {
        go({ name: '@disconnected.failed', error, at: clock.now(), attempts: 0 });
        return settle(err);
      }
      if (state.name === '@disconnected.token') settle(err);
    }),
    ready: input((purpose) => {
      if (purpose === 'login' && state.name === '@connecting.token') {
        return go({ name: '@connecting.attempt', kind: 'login' });
      }
      if (purpose === 'recover' && state.name === '@disconnected.token') {
        error = null;
        return go({ name: '@connecting.attempt', kind: 'manual' });
      }
      clearTokenError();
    }),
    died: input(() => {
      if (state.name === '@reconnecting.backoff' || state.name === '@reconnecting.offline') tokenDied(true);
    }),
    signedOut: () => void logout(),
  });

  /** A token problem is over once a token is in use again. */
  function clearTokenError(): void {
    if (error?.type === 'error:client:fetch_token_failed' || error?.type === 'error:client:token_invalid') error = null;
  }

  // --- the store: derived from the machine, written in one place ------------------------------
  function notice(): Notice | null {
    switch (state.name) {
      case '@idle':
      case '@disconnected.token':
        return null;
      case '@disconnected.refused':
        return { kind: 'login-failed', at: state.at };
      case '@disconnected.failed':
        // Only a connection that could not be made is "failed"; a token that could not be had is
        // the token prompt's to show (tokenStatus and error say so).
        return connectionFailures.has(state.error.type) ? { kind: 'failed', since: state.at } : null;
      case '@ok.connected':
        return transient;
    }
    if (!outage) return null;
    if (network === 'offline' && state.name !== '@reconnecting.attempt')
      return { kind: 'offline', since: outage.since };
    if (!outage.visible) return null;
    if (state.name === '@reconnecting.backoff') {
      return { kind: 'reconnecting', since: outage.since, attempt: state.attempt, phase: 'waiting' };
    }
    const attempt = state.name === '@reconnecting.attempt' ? state.attempt : 0;
    return { kind: 'reconnecting', since: outage.since, attempt, phase: 'trying' };
  }

  function commit(): void {
    const prev = store.getState();
    const status = statusOf(state);
    const { retryCount, nextRetryAt } = retryFields(state);
    const lostAt = status === 'idle' || status === 'connected' ? null : (outage?.since ?? null);
    const next: SessionState = {
      status,
      disconnectReason: status === 'connected' || status === 'idle' ? null : disconnectReason,
      retryCount,
      maxRetries: backoff.maxRetries,
      nextRetryAt,
      connectionLostAt: lostAt,
      sessionExpiresAt: lostAt !== null && sessionId !== null ? lostAt + resumeWindowMs : null,
      sessionId,
      userId,
      lastConnect,
      tokenExpiresAt: tokens.expiresAt(),
      tokenStatus: tokens.status(),
      network,
      error,
      outboxSize: outbox.size,
      lastSeq,
      notice: null,
    };
    const n = notice();
    // Notices are flat and built with their keys in one order: equal text means the same notice.
    next.notice = JSON.stringify(prev.notice) === JSON.stringify(n) ? prev.notice : n;
    const keys = Object.keys(next) as (keyof SessionState)[];
    if (keys.some((k) => next[k] !== prev[k])) store.setState(next, true);
  }

  // --- states: leaving cancels, entering arms ----------------------------------------------------
  function go(next: MachineState): void {
    const leaving = state;
    stateTimers.cancelAll();
    probeTimer = pumpTimer = ackTimer = null;
    if (leaving.name === '@ok.connected') {
      outbox.disconnected();
      if (transient?.kind === 'reconnected' || transient?.kind === 'resumed') transient = null;
    }
    // A connection belongs to its attempt, and then to @ok.connected; nothing else keeps it.
    const keepsConnection =
      (leaving.name === '@connecting.attempt' || leaving.name === '@reconnecting.attempt') &&
      next.name === '@ok.connected';
    if (!keepsConnection) {
      attemptSeq += 1;
      conn?.close();
      conn = null;
    }
    state = next;
    switch (next.name) {
      case '@connecting.token':
        tokens.fetch('login').catch(noop); // reported through ready / failed
        return;
      case '@connecting.attempt':
        return startAttempt(next.kind, 0);
      case '@reconnecting.attempt':
        return startAttempt('auto', next.attempt);
      case '@reconnecting.backoff':
        if (connector && next.at !== null) {
          stateTimers.at(next.at, () =>
            dispatch(() => {
              if (state.name === '@reconnecting.backoff') attemptNow(state.attempt);
            }),
          );
        }
        return;
      case '@ok.connected':
        return enterConnected();
    }
  }

  function startAttempt(kind: 'login' | 'manual' | 'auto', attempt: number): void {
    const token = tokens.forAttempt();
    if (token === null) {
      // Every token we had was refused or forgotten: nothing to attempt with.
      dispatch(tokenExpired);
      return;
    }
    if (selfRetrying) {
      if (kind === 'login') selfRetrying.login(token);
      else if (kind === 'manual') selfRetrying.connect();
      return;
    }
    if (!connector) return;
    const resume = sessionId === null ? null : { sessionId, lastSeq };
    const seq = ++attemptSeq;
    /** A report of this attempt's connection, dropped once a newer attempt superseded it. */
    const mine =
      <A extends unknown[]>(step: (...args: A) => void) =>
      (...args: A) => {
        if (attemptSeq === seq) dispatch(() => step(...args));
      };
    const attemptClosed = mine((info: ConnectionClosed) => closed(info, token));
    try {
      conn = connector.open(
        { token, resume, kind, attempt },
        {
          success: mine((info) => connected(info, token)),
          closed: attemptClosed,
          event: mine(message),
          acked: mine(acked),
          nacked: mine(nacked),
          activity: () => {
            if (attemptSeq === seq && probeTimer !== null) {
              stateTimers.cancel(probeTimer);
              probeTimer = null;
            }
          },
          warn: mine(warn),
        },
      );
    } catch (err) {
      // Nothing to retry with (no WebSocket constructor): say so at once, spend no attempts.
      const failure =
        err instanceof SessionError
          ? err
          : new SessionError(
              'error:client:transport',
              process.env.NODE_ENV !== 'production' ? 'The transport could not open a connection.' : '',
              err,
            );
      dispatch(() => {
        lastFailure = failure;
        beginOutage();
        fail(0, failure);
      });
      return;
    }
    stateTimers.after(attemptTimeoutMs, () =>
      attemptClosed({ kind: 'unreachable', code: null, reason: `no session within ${attemptTimeoutMs} ms` }),
    );
  }

  function enterConnected(): void {
    if (heartbeat && connector) {
      const { intervalMs } = heartbeat;
      const beat = () => {
        probe(probeTimeoutMs);
        stateTimers.after(intervalMs, beat);
      };
      stateTimers.after(intervalMs, beat);
    }
    pump();
  }

  /** Ask the server for a sign of life; no answer within `deadlineMs` → the connection is lost. */
  function probe(deadlineMs: number): void {
    if (state.name !== '@ok.connected' || probeTimer !== null) return;
    const ping = conn ? () => conn?.ping() : selfRetrying?.ping?.bind(selfRetrying);
    if (!ping) return;
    probeTimer = stateTimers.after(deadlineMs, () =>
      dispatch(() => {
        if (state.name !== '@ok.connected') return;
        closed({ kind: 'lost', code: null, reason: 'the connection stopped answering' }, null);
      }),
    );
    ping();
  }

  function pump(): void {
    if (state.name !== '@ok.connected' || !carriesMessages) return;
    const wire = conn ?? selfRetrying;
    if (!wire) return;
    const wakeAt = outbox.pump(clock.now(), (message: OutgoingMessage) => wire.send(message));
    stateTimers.cancel(pumpTimer);
    pumpTimer = wakeAt === null ? null : stateTimers.at(wakeAt, () => dispatch(pumpStep));
    // A message unacknowledged for ackTimeoutMs on a socket that looks open: probe it (§2.4.14).
    const oldest = outbox.oldestSentAt();
    if (oldest !== null && ackTimer === null) armAckTimer(oldest + opts.ackTimeoutMs);
  }

  function pumpStep(): void {
    pumpTimer = null;
    pump();
  }

  function armAckTimer(atMs: number): void {
    ackTimer = stateTimers.at(atMs, () => {
      ackTimer = null;
      const oldest = outbox.oldestSentAt();
      if (oldest === null) return;
      const now = clock.now();
      if (oldest + opts.ackTimeoutMs > now) return armAckTimer(oldest + opts.ackTimeoutMs);
      // Still unacknowledged: ask the socket. If it answers, the server is slow, not gone: look again later.
      probe(probeTimeoutMs);
      armAckTimer(now + opts.ackTimeoutMs);
    });
  }

  // --- the schedule ----------------------------------------------------------------------------------
  function beginOutage(): void {
    if (outage) return;
    const since = clock.now();
    outage = { since, visible: opts.showAfterMs === 0 };
    transient = null; // a new outage ends the last one's notice
    outageTimers.cancelAll();
    if (!outage.visible) {
      outageTimers.at(since + opts.showAfterMs, () =>
        dispatch(() => {
          if (outage) outage.visible = true;
        }),
      );
    }
  }

  function endOutage(): void {
    outage = null;
    outageTimers.cancelAll();
  }

  /** Attempt `attempt` of the cycle: after its backoff delay, paused while offline, or the end. */
  function schedule(attempt: number, retryAfterMs = 0): void {
    if (attempt > backoff.maxRetries) return fail(attempt - 1);
    if (tokens.knownDead()) return tokenDied(true);
    if (network === 'offline') return go({ name: '@reconnecting.offline', attempt });
    const delayMs = Math.max(backoffDelayMs(attempt, backoff, opts.random), retryAfterMs);
    go({ name: '@reconnecting.backoff', attempt, at: clock.now() + delayMs });
  }

  function attemptNow(attempt: number): void {
    emit('reconnecting', attempt);
    go({ name: '@reconnecting.attempt', attempt, startedAt: clock.now() });
  }

  /** The scheduled attempt, now (retryNow(), connect() while reconnecting). */
  function retryScheduled(): void {
    if (state.name === '@reconnecting.backoff' || state.name === '@reconnecting.offline') {
      if (connector) attemptNow(state.attempt);
      else selfRetrying?.retryNow();
    }
  }

  /** The cycle is over: every attempt failed (or none could be made). */
  function fail(attempts: number, cause: SessionError | null = lastFailure): void {
    const err =
      cause?.type === 'error:client:websocket_unavailable' || (sessionId === null && cause)
        ? cause
        : new SessionError(
            'error:client:reconnection_failed',
            process.env.NODE_ENV !== 'production'
              ? `Reconnection failed after ${attempts} attempt${attempts === 1 ? '' : 's'}${cause ? ` (${cause.message})` : ''}; call connect() to try again.`
              : '',
            cause ?? undefined,
          );
    enterFailure({ name: '@disconnected.failed', error: toErrorInfo(err), at: clock.now(), attempts }, err);
  }

  function enterFailure(next: MachineState & { error: SessionErrorInfo }, err: SessionError): void {
    error = next.error;
    emit('error', err);
    go(next);
    settle(err);
  }

  /** The token is dead. `local`: we found out ourselves, so a self-retrying transport's loop must stop. */
  function tokenDied(local = false): void {
    disconnectReason = 'TOKEN_EXPIRED';
    beginOutage();
    emit('disconnect', 'TOKEN_EXPIRED');
    if (local && selfRetrying) selfRetrying.suspend();
    go({ name: '@disconnected.token' });
    if (tokens.canFetch) tokens.fetch('recover').catch(noop);
    else settle(tokenExpiredError());
  }

  /** The transport says the token expired (or no token is left to attempt with). */
  function tokenExpired(): void {
    if (state.name !== '@idle' && state.name !== '@disconnected.token') tokenDied();
  }

  function settle(err?: SessionError): void {
    const current = waiters;
    waiters = [];
    for (const w of current) err ? w.reject(err) : w.resolve();
  }

  function wait(): Promise<void> {
    return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
  }

  /** Logout, destroy, or the server ended the session: nothing survives. */
  function end(reason: SessionError): void {
    go({ name: '@idle' });
    endOutage();
    transient = null;
    tokens.reset();
    outbox.rejectAll(reason);
    unsubscribeNetwork?.();
    unsubscribeNetwork = null;
    sessionId = userId = lastConnect = null;
    lastSeq = 0;
    error = null;
    disconnectReason = null;
    lastFailure = null;
    resumeWindowMs = opts.resumeWindowMs;
    settle(reason);
  }

  /** Another connection (another tab or device) took the session over. */
  function takenOver(): void {
    emit('disconnect', 'CLIENT_DISCONNECTED');
    end(
      new SessionError(
        'error:client:logged_out',
        process.env.NODE_ENV !== 'production' ? 'Another tab or device took this session over.' : '',
        undefined,
        { reason: 'taken_over' },
      ),
    );
  }

  // --- inputs --------------------------------------------------------------------------------------
  function connected(info: ConnectedInfo, token: string | null): void {
    if (state.name === '@idle') return;
    const now = clock.now();
    const previous = sessionId;
    if (token !== null) tokens.accepted(token, info.serverTime, info.tokenExpiresAt);
    if (info.resumeWindowMs !== undefined) resumeWindowMs = info.resumeWindowMs;
    const lost = previous !== null && info.sessionId !== previous;
    const resumed = !lost && previous !== null && info.resumed !== null;
    const wasOutage = outage !== null || state.name.startsWith('@reconnecting');
    const shown = outage?.visible === true;
    sessionId = info.sessionId;
    userId = info.userId;
    lastConnect = previous === null || lost ? 'new' : resumed ? 'resumed' : null;
    if (lastConnect === 'new') lastSeq = 0;
    disconnectReason = null;
    error = null;
    lastFailure = null;
    endOutage();
    outbox.connected(info.limits, now);
    if (wasOutage) emit('reconnect');
    if (lost && previous !== null) {
      emit('session:lost', { previousSessionId: previous, sessionId: info.sessionId });
      transient = { kind: 'session-lost', at: now, previousSessionId: previous, sessionId: info.sessionId };
    } else if (resumed) emit('session:resumed', { sessionId: info.sessionId });
    if (!lost && shown) transient = { kind: resumed ? 'resumed' : 'reconnected', at: now };
    // Events the server could no longer replay are reported, never skipped silently (§2.4.15).
    if (resumed && info.firstSeq !== undefined && info.firstSeq > lastSeq + 1) {
      const gap = { fromSeq: lastSeq + 1, toSeq: info.firstSeq - 1 };
      const missed = new SessionError(
        'error:client:events_missed',
        process.env.NODE_ENV !== 'production'
          ? `The server could no longer replay events ${gap.fromSeq}–${gap.toSeq}.`
          : '',
        undefined,
        gap,
      );
      lastSeq = info.firstSeq - 1;
      error = toErrorInfo(missed);
      emit('error', missed);
    }
    go({ name: '@ok.connected' });
    if (transient?.kind === 'reconnected' || transient?.kind === 'resumed') {
      stateTimers.after(opts.reconnectedMs, () => {
        const only = transient?.kind;
        dispatch(() => clearNotice(only));
      });
    }
    settle();
  }

  function clearNotice(only?: Notice['kind']): void {
    if (!only || transient?.kind === only) transient = null;
  }

  function message(event: ServerEvent): void {
    if (event.seq <= lastSeq) return; // a replay of what the app already has
    lastSeq = event.seq;
    emit('message', event);
  }

  function acked(mid: string): void {
    if (outbox.ack(mid)) pump();
  }

  function nacked(mid: string, code: NackCode, text: string, retryAfterMs?: number): void {
    if (outbox.nack(mid, code, text, retryAfterMs, clock.now())) pump();
  }

  function warn(err: SessionError): void {
    emit('error', err);
  }

  function networkChanged(change: NetworkChange): void {
    if (change !== 'visible') network = change;
    if (state.name === '@idle' || !connector) return;
    if (change === 'offline') {
      if (state.name === '@reconnecting.backoff') go({ name: '@reconnecting.offline', attempt: state.attempt });
      // The browser keeps a dead socket open when the network goes: ask it (§2.4.8).
      return probe(Math.min(probeTimeoutMs, 5000));
    }
    if (network === 'offline') return; // 'visible' while offline: nothing can be reached
    if (state.name === '@ok.connected') return probe(Math.min(probeTimeoutMs, 5000));
    if (state.name === '@reconnecting.offline') {
      return opts.whenOnline === 'ignore' ? schedule(state.attempt) : attemptNow(state.attempt);
    }
    if (opts.whenOnline === 'ignore') return;
    if (state.name === '@reconnecting.backoff') return attemptNow(state.attempt);
    const insideWindow = outage !== null && (sessionId === null || clock.now() < outage.since + resumeWindowMs);
    if (opts.whenOnline === 'connect' && state.name === '@disconnected.failed' && insideWindow) {
      error = null;
      go({ name: '@connecting.attempt', kind: 'manual' });
    }
  }

  /** A connection (or attempt) ended: decide from how it ended and where we were. */
  function closed(info: ConnectionClosed, token: string | null): void {
    const from = state;
    if (from.name !== '@ok.connected' && from.name !== '@connecting.attempt' && from.name !== '@reconnecting.attempt')
      return;
    switch (info.kind) {
      case 'token_expired':
        if (token !== null) tokens.expired(token);
        return tokenDied();
      case 'login_failed': {
        if (token !== null) tokens.refused(token);
        const refusal = process.env.NODE_ENV !== 'production' ? `The server refused the token: ${info.reason}.` : '';
        const details = { code: info.code, reason: info.reason };
        // A token given to updateToken() was refused: the last accepted one is still good (§2.4.10).
        if (tokens.forAttempt() !== null && !tokens.knownDead() && sessionId !== null) {
          emit('error', new SessionError('error:client:token_invalid', refusal, undefined, details));
          if (from.name === '@reconnecting.attempt') return attemptNow(from.attempt);
          return go({ name: '@connecting.attempt', kind: from.name === '@connecting.attempt' ? from.kind : 'manual' });
        }
        const err = new SessionError('error:client:login_failed', refusal, undefined, details);
        return enterFailure({ name: '@disconnected.refused', error: toErrorInfo(err), at: clock.now() }, err);
      }
      case 'replaced':
        return takenOver();
    }
    if (from.name === '@ok.connected') {
      disconnectReason = 'CONNECTION_FAILED';
      beginOutage();
      if (tokens.knownDead()) return tokenDied(); // retrying with a dead token only burns attempts
      emit('disconnect', 'CONNECTION_FAILED');
      return schedule(1, info.retryAfterMs);
    }
    lastFailure = new SessionError(
      'error:client:unreachable',
      process.env.NODE_ENV !== 'production'
        ? `Could not reach ${connector && 'url' in connector ? String(connector.url) : 'the server'}: ${info.reason}.`
        : '',
      undefined,
      { code: info.code, reason: info.reason },
    );
    error = toErrorInfo(lastFailure);
    outageGoesOn();
    schedule(from.name === '@reconnecting.attempt' ? from.attempt + 1 : 1, info.retryAfterMs);
  }

  /** An attempt failed or a self-retrying transport retries: the outage (begun or going on) is a lost connection. */
  function outageGoesOn(): void {
    beginOutage();
    disconnectReason ??= 'CONNECTION_FAILED';
  }

  // --- self-retrying transports report here ----------------------------------------------------
  if (selfRetrying) {
    /** Reports of a loop that is not (or no longer) running are dropped. */
    const retrying = () =>
      state.name !== '@idle' && state.name !== '@ok.connected' && !state.name.startsWith('@disconnected');
    selfRetrying.attach({
      clock,
      reconnect: backoff,
      random: opts.random,
      heartbeat: opts.heartbeat,
      resumeInfo: () => (sessionId === null ? null : { sessionId, lastSeq }),
      connected: (info) => {
        const token = tokens.forAttempt();
        dispatch(() => connected(info, token));
      },
      disconnected: input((reason, nextAttemptAt) => {
        if (reason === 'TOKEN_EXPIRED') return tokenExpired();
        if (state.name === '@idle') return;
        if (reason === 'CLIENT_DISCONNECTED') return takenOver();
        if (state.name === '@reconnecting.backoff') return;
        if (state.name === '@ok.connected') {
          disconnectReason = 'CONNECTION_FAILED';
          beginOutage();
          emit('disconnect', 'CONNECTION_FAILED');
        }
        go({ name: '@reconnecting.backoff', attempt: 1, at: nextAttemptAt ?? null });
      }),
      retryScheduled: input((attempt, at) => {
        if (!retrying()) return;
        outageGoesOn();
        go({ name: '@reconnecting.backoff', attempt, at });
      }),
      reconnecting: input((attempt) => {
        if (!retrying()) return;
        outageGoesOn();
        attemptNow(Math.min(attempt, backoff.maxRetries));
      }),
      reconnectionFailed: input(() => {
        if (state.name === '@idle' || state.name.startsWith('@disconnected')) return;
        beginOutage();
        fail('attempt' in state ? state.attempt : backoff.maxRetries);
      }),
      loginFailed: input((err) => {
        if (state.name === '@idle') return;
        enterFailure({ name: '@disconnected.refused', error: toErrorInfo(err), at: clock.now() }, err);
      }),
      message: input(message),
      acked: input(acked),
      nacked: input(nacked),
      warn: input(warn),
    });
  } else connector?.attach({ clock });

  function watchNetwork(): void {
    if (unsubscribeNetwork) return;
    network = opts.network.isOnline() ? 'online' : 'offline';
    unsubscribeNetwork = opts.network.subscribe(input(networkChanged));
  }

  // --- API -----------------------------------------------------------------------------------------
  /**
   * Throws when `call` cannot run: the session is destroyed, or nobody is logged in. Callers pass
   * `call` behind the production check: it is only for the development text.
   */
  function check(call: string): void {
    if (destroyed) throw destroyedError();
    if (state.name === '@idle')
      throw invalidState(
        process.env.NODE_ENV !== 'production' ? `${call}: not logged in; call login() first.` : '',
        'not_logged_in',
      );
  }

  /** Reject an API call that changed nothing, leaving its reason in the store (§2.4.12). */
  function refuse(err: SessionError): never {
    dispatch(() => {
      error = toErrorInfo(err);
    });
    throw err;
  }

  async function login(given?: string): Promise<void> {
    if (destroyed) throw destroyedError();
    if (state.name !== '@idle') {
      throw invalidState(
        process.env.NODE_ENV !== 'production'
          ? `login() while ${statusOf(state)}: log out first (or use updateToken()/connect()).`
          : '',
        'logged_in',
      );
    }
    if (given !== undefined && typeof given !== 'string') {
      refuse(
        new SessionError(
          'error:client:token_invalid',
          process.env.NODE_ENV !== 'production' ? 'login(token): token must be a JWT string.' : '',
          undefined,
          { reason: 'not_a_jwt' },
        ),
      );
    }
    const token = given ?? opts.token;
    if (token === undefined && !opts.fetchToken) {
      refuse(
        invalidState(
          process.env.NODE_ENV !== 'production'
            ? 'login() needs a token: pass one, or set the token or fetchToken option.'
            : '',
          'no_token',
        ),
      );
    }
    tokens.reset();
    if (token !== undefined) {
      try {
        tokens.offer(token); // decoded, so a malformed token fails before any state change
      } catch (err) {
        refuse(err as SessionError);
      }
    }
    watchNetwork();
    const done = wait();
    dispatch(() => {
      error = null;
      go(token !== undefined ? { name: '@connecting.attempt', kind: 'login' } : { name: '@connecting.token' });
    });
    return done;
  }

  async function connect(): Promise<void> {
    check(process.env.NODE_ENV !== 'production' ? 'connect()' : '');
    const status = statusOf(state);
    if (status === 'connected') return;
    if (status === 'disconnected' && tokens.forAttempt() === null && !tokens.canFetch) {
      throw invalidState(
        process.env.NODE_ENV !== 'production'
          ? 'connect(): the server refused the last token; call updateToken() first.'
          : '',
        'token_refused',
      );
    }
    const done = wait();
    if (status === 'reconnecting') dispatch(retryScheduled);
    else if (status === 'disconnected') {
      if (state.name === '@disconnected.token' && tokens.forAttempt() !== null && tokens.status() === 'expired') {
        if (tokens.canFetch)
          tokens.fetch('recover').catch(noop); // ready() connects
        else settle(tokenExpiredError());
        return done;
      }
      dispatch(() => {
        if (!state.name.startsWith('@disconnected')) return;
        error = null;
        // No token yet (fetchToken failed at login): get one first.
        go(
          tokens.forAttempt() === null && tokens.canFetch
            ? { name: '@connecting.token' }
            : { name: '@connecting.attempt', kind: 'manual' },
        );
      });
    }
    return done;
  }

  function retryNow(): void {
    if (destroyed) return;
    if (statusOf(state) === 'disconnected') connect().catch(noop);
    else dispatch(retryScheduled);
  }

  async function updateToken(next: string): Promise<void> {
    check(process.env.NODE_ENV !== 'production' ? 'updateToken()' : '');
    // decodeToken refuses a non-string too (token_invalid, not_a_jwt).
    const sub = decodeToken(next).sub;
    const owner = tokens.subject();
    if (sub !== undefined && owner !== null && sub !== owner) {
      throw new SessionError(
        'error:client:token_invalid',
        process.env.NODE_ENV !== 'production'
          ? `This token is for "${sub}", not "${owner}": log out and log in to switch users.`
          : '',
        undefined,
        // Both are the app's own user ids (the token's `sub`), nothing secret.
        { reason: 'other_user', sub, expectedSub: owner },
      );
    }
    await tokens.use(next);
  }

  function refreshToken(): Promise<void> {
    try {
      if (destroyed) throw destroyedError();
      if (!tokens.canFetch)
        throw invalidState(
          process.env.NODE_ENV !== 'production' ? 'refreshToken() needs the fetchToken option.' : '',
          'no_fetch_token',
        );
      check(process.env.NODE_ENV !== 'production' ? 'refreshToken()' : '');
    } catch (err) {
      return Promise.reject(err);
    }
    return tokens.fetch(state.name === '@disconnected.token' ? 'recover' : 'refresh');
  }

  function logout(): Promise<void> {
    if (destroyed || state.name === '@idle') return Promise.resolve();
    return new Promise<void>((done) =>
      dispatch(() => {
        if (state.name === '@idle') return done();
        // The logout request goes over *this* connection, and only this one is closed afterwards:
        // a login() made before it finishes has its own connection, which this can never touch.
        const wasConnected = state.name === '@ok.connected';
        const own = wasConnected ? conn : null;
        conn = null;
        emit('disconnect', 'CLIENT_DISCONNECTED');
        tokens.signOut(); // every tab of this user (crossTab); end() leaves the channel after it
        end(new SessionError('error:client:logged_out', process.env.NODE_ENV !== 'production' ? 'Logged out.' : ''));
        const tail = own ? own.logout() : selfRetrying && wasConnected ? selfRetrying.logout() : Promise.resolve();
        tail
          .catch(noop) // the local session is gone either way; the server forgets it when its window passes
          .finally(() => {
            own?.close();
            done();
          });
      }),
    );
  }

  function send(body: unknown): Promise<void> {
    let done: Promise<void>;
    try {
      check(process.env.NODE_ENV !== 'production' ? 'send()' : '');
      if (!carriesMessages)
        throw invalidState(
          process.env.NODE_ENV !== 'production'
            ? "send(): this transport carries no app messages; use the SDK's API."
            : '',
          'no_messages',
        );
      let json: string | undefined;
      let cause: unknown;
      try {
        json = JSON.stringify(body);
      } catch (err) {
        cause = err;
      }
      if (json === undefined) {
        throw new SessionError(
          'error:client:invalid_message',
          process.env.NODE_ENV !== 'production' ? 'send(body): body must be JSON-serialisable.' : '',
          cause,
          { reason: 'not_json' },
        );
      }
      if (deeperThan(body, maxBodyDepth)) {
        throw new SessionError(
          'error:client:invalid_message',
          process.env.NODE_ENV !== 'production' ? `send(body): body is nested deeper than ${maxBodyDepth} levels.` : '',
          undefined,
          { reason: 'too_deep', maxDepth: maxBodyDepth },
        );
      }
      const size = new TextEncoder().encode(json).length;
      if (size > maxMessageBytes) {
        throw new SessionError(
          'error:client:message_too_big',
          process.env.NODE_ENV !== 'production' ? `send(body): ${size} bytes exceeds ${maxMessageBytes}.` : '',
          undefined,
          { bytes: size, maxBytes: maxMessageBytes },
        );
      }
      done = outbox.add(body, state.name === '@ok.connected');
    } catch (err) {
      return Promise.reject(err);
    }
    dispatch(pumpStep);
    return done;
  }

  /** The last input: release everything, emit nothing. */
  function destroyStep(): void {
    end(destroyedError());
    transport.destroy?.();
  }

  function destroy(): void {
    if (destroyed) return;
    destroyed = true;
    dispatch(destroyStep);
    emitter.clear();
  }

  return {
    store: { getState: store.getState, getInitialState: store.getInitialState, subscribe: store.subscribe },
    getState: store.getState,
    on: (name, fn) => emitter.on(name, fn),
    login,
    connect,
    retryNow,
    updateToken,
    refreshToken,
    logout,
    send,
    dismissNotice: () => dispatch(clearNotice),
    destroy,
    get destroyed() {
      return destroyed;
    },
    clock,
    canRefreshToken: opts.fetchToken !== undefined,
    debug: {
      state: () => state.name,
      outbox: () => outbox.inspect(),
      token: () => tokens.life(),
      pendingTimers: () => stateTimers.size + outageTimers.size + tokens.pendingTimers,
      listenerCount: () => emitter.listenerCount(),
    },
  };
}
