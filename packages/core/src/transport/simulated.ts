/**
 * A deterministic transport with a tiny in-memory "server" behind it. Tests, Storybook and the
 * playground script it: accept or refuse logins, drop the connection, refuse N attempts, take the
 * server down, expire the token, forget sessions. It retries on the shared backoff module and
 * the host's clock, so with fake timers every attempt lands at an exact millisecond.
 */
import { backoffDelayMs } from '../backoff.js';
import { TimerSet } from '../clock.js';
import { SessionError } from '../errors.js';
import { decodeToken, expiryMs } from '../token.js';
import type { OutgoingMessage, ServerEvent, Transport, TransportHost } from './types.js';

export interface SimulatedTransportOptions {
  /** One-way latency of every simulated round trip (ms). Default 0 (still asynchronous). */
  latencyMs?: number;
  /** The userId the simulated server reports. Default: the token's `sub`, else 'user'. */
  userId?: string;
  /** How long the simulated server keeps a session after its connection drops. Default 300000. */
  resumeWindowMs?: number;
  /** End the connection with TOKEN_EXPIRED when the token's `exp` passes. Default true. */
  expireTokens?: boolean;
  /** Echo each new message back as an event, like the reference server's one-room default. Default true. */
  echo?: boolean;
}

export interface AttemptRecord {
  kind: 'login' | 'manual' | 'auto';
  /** 1-based number within the automatic cycle; 0 for login and manual attempts. */
  attempt: number;
  at: number;
  outcome: 'pending' | 'connected' | 'refused' | 'login_failed' | 'token_expired';
}

interface SimSession {
  id: string;
  userId: string;
  events: ServerEvent[];
  seq: number;
  lostAt: number | null;
  takenMids: Set<string>;
}

export interface SimulatedTransport extends Transport {
  /** The live connection drops (the client sees CONNECTION_FAILED and retries). */
  drop(): void;
  /** Stop accepting connections (drops the live one). Attempts fail until serverUp(). */
  serverDown(): void;
  serverUp(): void;
  /** The next `n` connection attempts are refused, server otherwise up. */
  refuseAttempts(n: number): void;
  /** Refuse logins as an invalid token (login_failed) until called with false. */
  rejectLogins(reject?: boolean): void;
  /** The server ends the connection with TOKEN_EXPIRED now. */
  expireToken(): void;
  /** The server forgets every session (a restart): the next connect starts a new one. */
  forgetSessions(): void;
  /** Server event to this client's session: delivered now if connected, replayed on resume. */
  push(body: unknown, from?: string | null): void;
  readonly attempts: readonly AttemptRecord[];
  /** Messages the server accepted (first time per mid), in order. */
  readonly received: readonly OutgoingMessage[];
  readonly isConnected: boolean;
  readonly isServerUp: boolean;
  /** Pending simulated timers (for leak tests). */
  readonly pendingTimers: number;
}

export function simulatedTransport(options: SimulatedTransportOptions = {}): SimulatedTransport {
  const latencyMs = options.latencyMs ?? 0;
  const windowMs = options.resumeWindowMs ?? 300_000;
  const expireTokens = options.expireTokens ?? true;
  const echo = options.echo ?? true;

  let host: TransportHost | null = null;
  let timers: TimerSet | null = null;
  let token: string | null = null;
  let up = true;
  let refuse = 0;
  let rejecting = false;
  let session: SimSession | null = null;
  const sessions = new Map<string, SimSession>();
  let connected = false;
  let nextSessionNumber = 1;
  /** Automatic attempts made in the current cycle. */
  let cycleAttempt = 0;
  let pendingAttempt: unknown = null;
  let expiryTimer: unknown = null;
  const attempts: AttemptRecord[] = [];
  const received: OutgoingMessage[] = [];

  /** Simulated network delay. Zero latency is still asynchronous (a microtask), but takes no time. */
  function later(fn: () => void): void {
    if (latencyMs > 0) {
      timers?.after(latencyMs, fn);
      return;
    }
    const attachedTo = host;
    queueMicrotask(() => {
      if (host !== null && host === attachedTo) fn();
    });
  }

  const need = (): { host: TransportHost; timers: TimerSet } => {
    if (!host || !timers) throw new Error('simulatedTransport: not attached to a session yet.');
    return { host, timers };
  };
  const now = () => need().host.clock.now();

  function closeLive(): void {
    if (!connected) return;
    connected = false;
    if (session) session.lostAt = now();
    timers?.cancel(expiryTimer);
    expiryTimer = null;
  }

  function stopCycle(): void {
    timers?.cancel(pendingAttempt);
    pendingAttempt = null;
  }

  /** Schedule automatic attempt `n` of this cycle, or give up after the last one. */
  function scheduleNext(report: (atMs: number) => void): void {
    const { host: h, timers: t } = need();
    const n = cycleAttempt + 1;
    if (n > h.reconnect.maxRetries) {
      h.reconnectionFailed();
      return;
    }
    const at = now() + backoffDelayMs(n, h.reconnect, h.random);
    report(at);
    pendingAttempt = t.after(at - now(), () => {
      pendingAttempt = null;
      startAttempt('auto');
    });
  }

  function startAttempt(kind: AttemptRecord['kind']): void {
    const { host: h } = need();
    stopCycle();
    if (kind === 'auto') {
      cycleAttempt += 1;
      h.reconnecting(cycleAttempt);
    } else {
      cycleAttempt = 0;
    }
    const record: AttemptRecord = { kind, attempt: kind === 'auto' ? cycleAttempt : 0, at: now(), outcome: 'pending' };
    attempts.push(record);
    later(() => finishAttempt(record));
  }

  function finishAttempt(record: AttemptRecord): void {
    const { host: h } = need();
    if (!up || refuse > 0) {
      if (refuse > 0) refuse -= 1;
      record.outcome = 'refused';
      scheduleNext((at) => h.retryScheduled(cycleAttempt + 1, at));
      return;
    }
    let claims: ReturnType<typeof decodeToken> | null = null;
    try {
      claims = decodeToken(token);
    } catch {
      claims = null;
    }
    if (rejecting || claims === null) {
      record.outcome = 'login_failed';
      h.loginFailed(new SessionError('error:client:login_failed', 'The server refused the token (simulated 4401).'));
      return;
    }
    const expMs = expiryMs(claims);
    if (expMs !== null && expireTokens && expMs <= now()) {
      record.outcome = 'token_expired';
      h.disconnected('TOKEN_EXPIRED');
      return;
    }
    const resume = h.resumeInfo();
    const existing = resume ? sessions.get(resume.sessionId) : undefined;
    const alive = existing && (existing.lostAt === null || now() - existing.lostAt <= windowMs);
    if (existing && !alive) sessions.delete(existing.id);
    const resumed = Boolean(alive);
    if (alive && existing) {
      session = existing;
    } else {
      session = {
        id: `sim-session-${nextSessionNumber++}`,
        userId: options.userId ?? claims.sub ?? 'user',
        events: [],
        seq: 0,
        lostAt: null,
        takenMids: new Set(),
      };
      sessions.set(session.id, session);
    }
    session.lostAt = null;
    connected = true;
    cycleAttempt = 0;
    record.outcome = 'connected';
    armTokenExpiry(claims.exp);
    h.connected({
      sessionId: session.id,
      userId: session.userId,
      resumed,
      serverTime: now(),
      resumeWindowMs: windowMs,
      ...(expMs !== null ? { tokenExpiresAt: expMs } : {}),
    });
    const lastSeq = resumed && resume ? resume.lastSeq : 0;
    for (const event of session.events) if (event.seq > lastSeq && connected) h.message(event);
  }

  function armTokenExpiry(expSeconds: number | undefined): void {
    timers?.cancel(expiryTimer);
    expiryTimer = null;
    if (!expireTokens || expSeconds === undefined || !connected) return;
    expiryTimer = need().timers.after(expSeconds * 1000 - now(), () => {
      expiryTimer = null;
      transport.expireToken();
    });
  }

  function deliver(body: unknown, from: string | null, target: SimSession): void {
    const event: ServerEvent = { seq: ++target.seq, from, body };
    target.events.push(event);
    if (target === session && connected) host?.message(event);
  }

  const transport: SimulatedTransport = {
    attach(h) {
      host = h;
      timers = new TimerSet(h.clock);
    },
    login(t) {
      token = t;
      startAttempt('login');
    },
    connect() {
      if (connected) return;
      startAttempt('manual');
    },
    retryNow() {
      if (pendingAttempt === null || connected) return;
      startAttempt('auto');
    },
    updateToken(t) {
      token = t;
      const claims = decodeToken(t);
      if (!connected) return Promise.resolve({});
      return new Promise((resolve, reject) => {
        later(() => {
          if (rejecting) {
            reject(new SessionError('error:client:token_invalid', 'The server refused the new token (simulated).'));
            return;
          }
          armTokenExpiry(claims.exp);
          const expMs = expiryMs(claims);
          resolve(expMs === null ? {} : { tokenExpiresAt: expMs });
        });
      });
    },
    suspend() {
      stopCycle();
      closeLive();
    },
    logout() {
      stopCycle();
      closeLive();
      if (session) sessions.delete(session.id);
      session = null;
      return Promise.resolve();
    },
    send(message) {
      if (!connected || !session) return;
      const target = session;
      later(() => {
        if (!connected || session !== target) return; // lost in flight: the engine resends on reconnect
        if (!target.takenMids.has(message.mid)) {
          target.takenMids.add(message.mid);
          received.push(message);
          if (echo) deliver(message.body, target.userId, target);
        }
        host?.acked(message.mid);
      });
    },
    destroy() {
      timers?.cancelAll();
      pendingAttempt = null;
      expiryTimer = null;
      connected = false;
      host = null;
    },

    drop() {
      if (!connected) return;
      closeLive();
      const { host: h } = need();
      cycleAttempt = 0;
      scheduleNext((at) => h.disconnected('CONNECTION_FAILED', at));
    },
    serverDown() {
      up = false;
      transport.drop();
    },
    serverUp() {
      up = true;
    },
    refuseAttempts(n) {
      refuse = Math.max(0, Math.floor(n));
    },
    rejectLogins(reject = true) {
      rejecting = reject;
    },
    expireToken() {
      if (!connected) return;
      closeLive();
      stopCycle();
      need().host.disconnected('TOKEN_EXPIRED');
    },
    forgetSessions() {
      sessions.clear();
    },
    push(body, from = null) {
      if (session) deliver(body, from, session);
    },
    get attempts() {
      return attempts;
    },
    get received() {
      return received;
    },
    get isConnected() {
      return connected;
    },
    get isServerUp() {
      return up;
    },
    get pendingTimers() {
      return timers?.size ?? 0;
    },
  };
  return transport;
}
