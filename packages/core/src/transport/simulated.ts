/**
 * A deterministic stand-in for the reference server, for tests, Storybook and demos. It is the
 * shipped WebSocket transport talking the real protocol (the shared parser and encoders) to an
 * in-memory server over fake sockets that run on the session's clock — so every story and test
 * drives the same connector, frames and retry loop as production. Scripted faults: drop the
 * connection, take the server down, refuse attempts, refuse logins, expire the token, stall
 * (a frozen network: nothing answered, nothing lost), forget sessions, push server events.
 */
import type { Clock } from '../clock.js';
import { TimerGroup } from '../clock.js';
import type { ProtocolLimits, ServerFrame } from '../protocol/index.js';
import { CloseCode, defaultLimits, encodeServerFrame, parseClientFrame } from '../protocol/index.js';
import type { TokenClaims } from '../token.js';
import { decodeToken } from '../token.js';
import type { AttemptRequest, Connector, OutgoingMessage, ServerEvent } from './types.js';
import type { WebSocketConstructor, WebSocketLike } from './websocket/websocket-transport.js';
import { webSocketTransport } from './websocket/websocket-transport.js';

export interface SimulatedTransportOptions {
  /**
   * Round-trip time of the simulated network (ms): each answer of the server (and a refusal)
   * arrives this long after the client's frame. Default 0 (still asynchronous).
   */
  latencyMs?: number;
  /** The userId the simulated server reports. Default: the token's `sub`, else 'user'. */
  userId?: string;
  /** How long the simulated server keeps a session after its connection drops. Default 300000. */
  resumeWindowMs?: number;
  /** End the connection with TOKEN_EXPIRED when the token's `exp` passes. Default true. */
  expireTokens?: boolean;
  /** Echo each new message back as an event, like the reference server's one-room default. Default true. */
  echo?: boolean;
  /** Limits the simulated server announces and enforces (rate-limited messages are nacked). */
  limits?: Partial<ProtocolLimits>;
  /** What it really enforces, when stricter than what it announces (to test the nack path). */
  enforcedLimits?: Partial<ProtocolLimits>;
  /** Events kept per session for replay; older ones are gone (announced through firstSeq). Default 10000. */
  replayLimit?: number;
}

export interface AttemptRecord {
  kind: 'login' | 'manual' | 'auto';
  /** 1-based number within the automatic cycle; 0 for login and manual attempts. */
  attempt: number;
  at: number;
  outcome: 'pending' | 'connected' | 'refused' | 'login_failed' | 'token_expired';
}

export interface SimulatedTransport extends Connector {
  /** The live connection drops (the client sees CONNECTION_FAILED and retries). */
  drop(): void;
  /** Stop accepting connections (drops the live one). Attempts fail until serverUp(). */
  serverDown(): void;
  serverUp(): void;
  /** The next `n` connection attempts are refused, server otherwise up. */
  refuseAttempts(n: number): void;
  /** Refuse logins and token updates as invalid (close 4401) until called with false. */
  rejectLogins(reject?: boolean): void;
  /** The server ends the connection with TOKEN_EXPIRED now. */
  expireToken(): void;
  /** The network stalls for `ms`: nothing is answered or delivered, nothing is lost (TCP keeps the bytes). */
  stall(ms: number): void;
  /**
   * The live connection goes half-open: it looks open to the client, but nothing crosses it any
   * more in either direction (a network change killed it silently). New connections work.
   */
  blackhole(): void;
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

interface SimSession {
  id: string;
  userId: string;
  /** Events not yet acknowledged, oldest first (capped by replayLimit). */
  events: ServerEvent[];
  seq: number;
  lostAt: number | null;
  takenMids: Set<string>;
}

type Listener = (event: never) => void;

export function simulatedTransport(options: SimulatedTransportOptions = {}): SimulatedTransport {
  const latencyMs = options.latencyMs ?? 0;
  const windowMs = options.resumeWindowMs ?? 300_000;
  const expireTokens = options.expireTokens ?? true;
  const echo = options.echo ?? true;
  const limits: ProtocolLimits = { ...defaultLimits, ...options.limits };
  const enforced: ProtocolLimits = { ...limits, ...options.enforcedLimits };
  const replayLimit = options.replayLimit ?? 10_000;

  let clock: Clock | null = null;
  let timers: TimerGroup | null = null;
  let up = true;
  let refuse = 0;
  let rejecting = false;
  let stalledUntil = 0;
  let nextSessionNumber = 1;
  const sessions = new Map<string, SimSession>();
  const sockets = new Set<SimSocket>();
  const attempts: AttemptRecord[] = [];
  const received: OutgoingMessage[] = [];
  /** The record the next socket belongs to (open() records it, the socket picks it up). */
  let opening: AttemptRecord | null = null;
  /** The session this client last had: push() targets it. */
  let mine: SimSession | null = null;

  const now = () => clock?.now() ?? 0;
  /**
   * Simulated network delay, on the session's clock. Zero latency is still asynchronous but takes
   * no time (a microtask): a whole exchange completes within one advance(0) of a fake clock.
   */
  function later(fn: () => void, delayMs = latencyMs): void {
    if (delayMs > 0) timers?.after(delayMs, fn);
    else queueMicrotask(fn);
  }

  /** Both ends of one fake connection: the client's WebSocket and the server's view of it. */
  class SimSocket implements WebSocketLike {
    readyState = 0;
    readonly #listeners = new Map<string, Listener[]>();
    readonly record = opening;
    session: SimSession | null = null;
    claims: TokenClaims | null = null;
    expiryTimer: number | null = null;
    /** Rate limiting: a token bucket, and the end of a nack window (order is kept, §3). */
    tokens = enforced.burst;
    refilledAt = now();
    nackUntil = 0;
    /** Frames held during a stall, in order. */
    held: (() => void)[] = [];
    /** Half-open: everything sent either way vanishes. */
    dead = false;
    /** Frames on their way to the client: an injected fault waits behind them (TCP keeps order). */
    inflight = 0;

    constructor(_url: string) {
      sockets.add(this);
      later(() => this.#connect(), 0);
    }

    addEventListener(type: string, listener: Listener): void {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
    }

    #fire(type: string, event: object): void {
      for (const l of this.#listeners.get(type) ?? []) (l as (e: object) => void)(event);
    }

    #connect(): void {
      if (this.readyState !== 0) return;
      if (!up || refuse > 0) {
        if (refuse > 0) refuse -= 1;
        // The refusal comes back after a round trip; until then the attempt is pending.
        return this.#cross(() => {
          if (this.record) this.record.outcome = 'refused';
          this.#fire('error', { message: 'connection refused (simulated)' });
          this.#closed(1006, '');
        });
      }
      this.readyState = 1;
      this.#fire('open', {});
    }

    /**
     * A frame or action crossing the simulated network: held while stalled, then in order.
     * `immediate`: a fault the test script injects happens now, as the script reads.
     */
    #cross(fn: () => void, immediate = false, delayMs = latencyMs): void {
      if (this.dead) return;
      if (now() < stalledUntil) this.held.push(fn);
      else if (immediate && this.inflight === 0) fn();
      else {
        this.inflight += 1;
        later(() => {
          this.inflight -= 1;
          fn();
        }, delayMs);
      }
    }

    // Client side -------------------------------------------------------------------------------
    send(data: string): void {
      if (this.readyState !== 1) return;
      // Client → server takes no time; the server's answer carries the whole round trip.
      this.#cross(
        () => {
          if (this.readyState === 1) receive(this, data);
        },
        false,
        0,
      );
    }

    close(): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      detach(this);
      later(() => this.#closed(1000, ''), 0);
    }

    #closed(code: number, reason: string): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      detach(this);
      sockets.delete(this);
      this.#fire('close', { code, reason });
    }

    // Server side -------------------------------------------------------------------------------
    deliver(frame: ServerFrame, immediate = false): void {
      const text = encodeServerFrame(frame);
      this.#cross(() => {
        if (this.readyState === 1) this.#fire('message', { data: text });
      }, immediate);
    }

    /** The server closes, after whatever it sent before (same path, same order). */
    end(code: number, reason: string, immediate = false): void {
      detach(this);
      this.#cross(() => this.#closed(code, reason), immediate);
    }

    /** The network drops it: no close frame, nothing in flight arrives. */
    drop(): void {
      detach(this);
      this.held = [];
      this.#closed(1006, '');
    }
  }

  function detach(socket: SimSocket): void {
    timers?.cancel(socket.expiryTimer);
    socket.expiryTimer = null;
    const session = socket.session;
    socket.session = null;
    if (session && live(session) === undefined) session.lostAt = now();
  }

  const live = (session: SimSession) => [...sockets].find((s) => s.session === session && s.readyState === 1);

  function receive(socket: SimSocket, text: string): void {
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      const { violation } = parsed;
      if (violation.nack) {
        return socket.deliver({ type: 'message:nack', ...violation.nack, message: violation.message });
      }
      socket.deliver({ type: 'session:error', code: violation.code, message: violation.message });
      return socket.end(violation.code, violation.message);
    }
    const f = parsed.frame;
    if (f.type === 'session:login') return login(socket, f);
    const session = socket.session;
    if (!session) return socket.end(CloseCode.malformed, 'session:login must be the first frame');
    switch (f.type) {
      case 'ping':
        return socket.deliver({ type: 'pong', t: f.t });
      case 'ack':
        session.events = session.events.filter((e) => e.seq > f.seq);
        return;
      case 'session:update_token': {
        let claims: TokenClaims | null = null;
        try {
          claims = decodeToken(f.token);
        } catch {
          claims = null;
        }
        if (rejecting || !claims || (claims.sub !== undefined && claims.sub !== session.userId)) {
          return socket.deliver({
            type: 'session:error',
            rid: f.rid,
            code: CloseCode.invalidToken,
            message: 'token rejected (simulated)',
          });
        }
        socket.claims = claims;
        armExpiry(socket);
        return socket.deliver({ type: 'session:token_updated', rid: f.rid, tokenExpiresAt: expiresAt(claims) });
      }
      case 'session:logout':
        sessions.delete(session.id);
        if (mine === session) mine = null;
        socket.deliver({ type: 'session:logged_out', rid: f.rid });
        return socket.end(CloseCode.normal, 'logged out');
      case 'message': {
        const t = now();
        socket.tokens = Math.min(
          enforced.burst,
          socket.tokens + ((t - socket.refilledAt) / 1000) * enforced.messagesPerSecond,
        );
        socket.refilledAt = t;
        if (t < socket.nackUntil || socket.tokens < 1) {
          const retryAfterMs = Math.max(
            socket.nackUntil - t,
            Math.ceil(((1 - socket.tokens) / enforced.messagesPerSecond) * 1000),
          );
          socket.nackUntil = t + retryAfterMs;
          return socket.deliver({
            type: 'message:nack',
            mid: f.mid,
            code: 'rate_limited',
            retryAfterMs,
            message: 'rate limited',
          });
        }
        socket.tokens -= 1;
        if (!session.takenMids.has(f.mid)) {
          session.takenMids.add(f.mid);
          received.push({ mid: f.mid, body: f.body });
          if (echo) append(session, f.body, session.userId);
        }
        return socket.deliver({ type: 'message:ack', mid: f.mid });
      }
    }
  }

  const expiresAt = (claims: TokenClaims) =>
    claims.exp === undefined ? now() + 10 * 365 * 86_400_000 : claims.exp * 1000;

  function armExpiry(socket: SimSocket): void {
    timers?.cancel(socket.expiryTimer);
    socket.expiryTimer = null;
    const claims = socket.claims;
    if (!expireTokens || !claims || claims.exp === undefined || !timers) return;
    socket.expiryTimer = timers.at(claims.exp * 1000, () => {
      socket.expiryTimer = null;
      expire(socket, true);
    });
  }

  function expire(socket: SimSocket, immediate = false): void {
    socket.deliver({ type: 'session:disconnect', reason: 'TOKEN_EXPIRED' }, immediate);
    socket.end(CloseCode.tokenExpired, 'token expired', immediate);
  }

  function login(socket: SimSocket, f: { token: string; sessionId?: string; lastSeq?: number }): void {
    if (socket.session) return socket.end(CloseCode.malformed, 'already logged in');
    const record = socket.record;
    let claims: TokenClaims | null = null;
    try {
      claims = decodeToken(f.token);
    } catch {
      claims = null;
    }
    if (rejecting || !claims) {
      if (record) record.outcome = 'login_failed';
      socket.deliver({ type: 'session:error', code: CloseCode.invalidToken, message: 'token rejected (simulated)' });
      return socket.end(CloseCode.invalidToken, 'token rejected');
    }
    if (expireTokens && claims.exp !== undefined && claims.exp * 1000 <= now()) {
      if (record) record.outcome = 'token_expired';
      return expire(socket);
    }
    const userId = options.userId ?? claims.sub ?? 'user';
    const wanted = f.sessionId === undefined ? undefined : sessions.get(f.sessionId);
    const alive = wanted && wanted.userId === userId && (wanted.lostAt === null || now() - wanted.lostAt <= windowMs);
    if (wanted && !alive && wanted.lostAt !== null && now() - wanted.lostAt > windowMs) sessions.delete(wanted.id);
    let session: SimSession;
    if (alive && wanted) {
      session = wanted;
      const previous = live(session);
      if (previous && previous !== socket) previous.end(CloseCode.replaced, 'session resumed elsewhere');
    } else {
      session = {
        id: `sim-session-${nextSessionNumber++}`,
        userId,
        events: [],
        seq: 0,
        lostAt: null,
        takenMids: new Set(),
      };
      sessions.set(session.id, session);
    }
    session.lostAt = null;
    socket.session = session;
    socket.claims = claims;
    mine = session;
    if (record) record.outcome = 'connected';
    armExpiry(socket);
    socket.deliver({
      type: 'session:success',
      sessionId: session.id,
      userId,
      resumed: Boolean(alive),
      serverTime: now(),
      tokenExpiresAt: expiresAt(claims),
      resumeWindowMs: windowMs,
      lastSeq: session.seq,
      firstSeq: session.events[0]?.seq ?? session.seq + 1,
      limits,
    });
    const from = alive ? (f.lastSeq ?? 0) : 0;
    for (const event of session.events) if (event.seq > from) socket.deliver(eventFrame(event));
  }

  const eventFrame = (e: ServerEvent): ServerFrame => ({ type: 'event', seq: e.seq, body: e.body, from: e.from });

  function append(session: SimSession, body: unknown, from: string | null): void {
    const event: ServerEvent = { seq: ++session.seq, from, body };
    session.events.push(event);
    if (session.events.length > replayLimit) session.events.splice(0, session.events.length - replayLimit);
    live(session)?.deliver(eventFrame(event));
  }

  const liveSockets = () => [...sockets].filter((s) => s.readyState === 1 && s.session);

  const ws = webSocketTransport('ws://simulated.invalid/ws', {
    WebSocket: SimSocket as unknown as WebSocketConstructor,
  });

  const transport: SimulatedTransport = {
    kind: 'connector',
    get attemptTimeoutMs() {
      return ws.attemptTimeoutMs;
    },
    attach(env) {
      clock = env.clock;
      timers = new TimerGroup(env.clock);
      ws.attach(env);
    },
    open(request: AttemptRequest, handlers) {
      opening = { kind: request.kind, attempt: request.attempt, at: now(), outcome: 'pending' };
      attempts.push(opening);
      try {
        return ws.open(request, handlers);
      } finally {
        opening = null;
      }
    },
    destroy() {
      timers?.cancelAll();
      for (const s of [...sockets]) s.drop();
    },

    drop() {
      for (const s of liveSockets()) s.drop();
    },
    blackhole() {
      for (const s of liveSockets()) {
        s.dead = true;
        s.held = [];
        detach(s); // the server sees it go; the client does not
      }
    },
    serverDown() {
      up = false;
      for (const s of [...sockets]) s.drop();
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
      for (const s of liveSockets()) expire(s, true);
    },
    stall(ms) {
      stalledUntil = Math.max(stalledUntil, now() + ms);
      timers?.at(stalledUntil, () => {
        if (now() < stalledUntil) return;
        for (const s of [...sockets]) {
          const held = s.held;
          s.held = [];
          for (const fn of held) later(fn);
        }
      });
    },
    forgetSessions() {
      sessions.clear();
      mine = null;
    },
    push(body, from = null) {
      if (mine) append(mine, body, from);
    },
    get attempts() {
      return attempts;
    },
    get received() {
      return received;
    },
    get isConnected() {
      return liveSockets().length > 0;
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
