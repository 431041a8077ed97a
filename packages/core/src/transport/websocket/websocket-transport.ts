/**
 * The WebSocket transport for the reference server protocol (design §3), on reconnecting-websocket
 * (RWS). This is the only file that imports RWS.
 *
 * How the schedule stays exact: RWS computes each delay as min × grow^(n−1) capped at max, reading
 * the options object we passed *by reference* at the moment it schedules. We set grow = 1 and
 * min = max = the delay the shared backoff module gives for the next attempt (jitter included),
 * updated whenever an attempt starts, so RWS waits exactly what `nextRetryAt` promised.
 *
 * What RWS cannot do, we do around it: it emits nothing when it gives up and its connect lock is
 * never released after maxRetries, so we count attempts ourselves (each socket our constructor
 * wrapper builds is one), stop it after the last one, and start a *new* RWS instance for every
 * fresh cycle (`connect()`, "retry now", after a heartbeat timeout or a 4429).
 */
import ReconnectingWebSocket from 'reconnecting-websocket';
import { backoffDelayMs } from '../../backoff.js';
import { TimerSet, Timers } from '../../clock.js';
import { SessionError, SessionOptionsError } from '../../errors.js';
import type { Heartbeat } from '../../options.js';
import { positiveNumber, resolveHeartbeat } from '../../options.js';
import type { Transport, TransportHost } from '../types.js';
import type { ServerFrame } from './frames.js';
import { parseServerFrame } from './frames.js';

/** The subset of the WebSocket API we use; `ws` in Node and the browser's WebSocket both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  /** `ws` only: destroy the TCP socket at once (for half-open connections). */
  terminate?: () => void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** WebSocket constructor; required where there is no global one (Node 20: pass `ws`). */
  WebSocket?: WebSocketConstructor;
  /** Dead-connection detection: ping every intervalMs, give up after timeoutMs without a reply. */
  heartbeat?: { intervalMs?: number; timeoutMs?: number } | false;
  /** Give up on an attempt that has not opened after this long. Default 4000. */
  connectionTimeoutMs?: number;
  /** How long update_token / logout wait for the server's answer. Default 10000. */
  requestTimeoutMs?: number;
  /** Smallest wait after the server said 4429 (rate limited). Default 5000. */
  rateLimitedDelayMs?: number;
}

const OPEN = 1;

/** Close codes the server uses (design §3). */
const Close = { tokenExpired: 4001, invalidToken: 4401, replaced: 4409, rateLimited: 4429 } as const;

export function webSocketTransport(url: string, options: WebSocketTransportOptions = {}): Transport {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionOptionsError('url', `not a valid URL: ${JSON.stringify(String(url)).slice(0, 80)}.`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new SessionOptionsError('url', `expected a ws:// or wss:// URL, got ${parsed.protocol}.`);
  }
  if (parsed.searchParams.has('token') || /[?&](access_)?token=|jwt=/i.test(parsed.search)) {
    throw new SessionOptionsError('url', 'tokens never go in URLs (they end up in access logs); login sends it.');
  }
  const Ctor =
    options.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket ?? undefined;
  // The transport's own option wins; otherwise createSession's `heartbeat`, taken at attach.
  let heartbeat: Heartbeat | undefined =
    options.heartbeat === undefined ? undefined : resolveHeartbeat(options.heartbeat);
  const connectionTimeoutMs = positiveNumber('connectionTimeoutMs', options.connectionTimeoutMs, 4000);
  const requestTimeoutMs = positiveNumber('requestTimeoutMs', options.requestTimeoutMs, 10_000);
  const rateLimitedDelayMs = positiveNumber('rateLimitedDelayMs', options.rateLimitedDelayMs, 5000);

  let host: TransportHost | null = null;
  let timers: Timers<'heartbeat' | 'heartbeat-timeout' | 'restart'> | null = null;
  let requestTimers: TimerSet | null = null;
  let token: string | null = null;

  let rws: ReconnectingWebSocket | null = null;
  let socket: WebSocketLike | null = null;
  /** Options object shared with the current RWS instance (mutated to steer its next delay). */
  let rwsOptions: Record<string, unknown> = {};
  /** Delay RWS will use for the next attempt (what we last wrote into rwsOptions). */
  let presetDelayMs = 0;
  let sessionUp = false;
  /** Automatic attempts made in this cycle. */
  let cycleAttempt = 0;
  /** True between a failure and the next socket: "retry now" may cut the wait short. */
  let waiting = false;
  let tokenExpiredSignal = false;
  let lastServerError: string | null = null;
  let lastFrameAt = 0;
  let ackSeq = 0;
  let ackQueued = false;
  let nextRid = 1;
  const pending = new Map<string, { resolve(frame: ServerFrame | null): void; reject(err: SessionError): void }>();

  const need = () => {
    if (!host || !timers || !requestTimers) throw new Error('webSocketTransport: not attached to a session.');
    return { host, timers, requestTimers };
  };

  function sendFrame(frame: Record<string, unknown>): boolean {
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function presetNext(): void {
    const h = need().host;
    presetDelayMs = backoffDelayMs(cycleAttempt + 1, h.reconnect, h.random);
    rwsOptions.minReconnectionDelay = presetDelayMs;
    rwsOptions.maxReconnectionDelay = presetDelayMs;
  }

  /** Stop the current RWS instance for good and drop its socket at once. */
  function disposeInstance(): void {
    const instance = rws;
    const raw = socket;
    rws = null;
    socket = null;
    sessionUp = false;
    waiting = false;
    timers?.clear('heartbeat');
    timers?.clear('heartbeat-timeout');
    if (!instance) return;
    instance.close(1000, 'client closing'); // sets RWS's shouldReconnect = false first
    raw?.terminate?.(); // a half-open socket would otherwise linger for the close handshake
  }

  function settleRequests(err: SessionError | null): void {
    const all = [...pending.values()];
    pending.clear();
    for (const p of all) err ? p.reject(err) : p.resolve(null);
  }

  /** Start a new RWS instance; its first socket opens now. */
  function openInstance(firstIsAutomatic: boolean): void {
    disposeInstance();
    const h = need().host;
    if (!Ctor) {
      h.warn(new SessionError('error:client:transport', 'No WebSocket constructor: pass options.WebSocket.'));
      h.reconnectionFailed();
      return;
    }
    tokenExpiredSignal = false;
    lastServerError = null;
    let nextIsAutomatic = firstIsAutomatic;
    let instance: ReconnectingWebSocket | null = null;
    const mine = () => instance !== null && instance === rws;

    // Every socket RWS builds goes through here: this is where attempts are counted.
    function Factory(this: unknown, target: string, protocols?: string | string[]) {
      const ws =
        protocols === undefined
          ? new (Ctor as WebSocketConstructor)(target)
          : new (Ctor as WebSocketConstructor)(target, protocols);
      // RWS's connection timeout removes its listeners and closes a `ws` socket that is still
      // connecting; `ws` then emits 'error' with no listener and Node crashes. Browsers never throw.
      ws.addEventListener('error', () => {});
      if (instance === null || mine()) {
        socket = ws;
        waiting = false;
        if (nextIsAutomatic) {
          cycleAttempt += 1;
          host?.reconnecting(cycleAttempt);
        }
        nextIsAutomatic = true;
        presetNext();
      }
      return ws;
    }
    Object.assign(Factory, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });

    rwsOptions = {
      WebSocket: Factory,
      maxRetries: Number.POSITIVE_INFINITY, // we stop it ourselves after our own count
      reconnectionDelayGrowFactor: 1,
      minReconnectionDelay: 0,
      maxReconnectionDelay: 0,
      connectionTimeout: connectionTimeoutMs,
      minUptime: 1000,
    };
    // The first socket of an instance opens without delay; this sets the delay after it fails.
    instance = new ReconnectingWebSocket(url, [], rwsOptions);
    rws = instance;
    instance.onopen = () => {
      if (!mine()) return;
      const { host: h, timers: t } = need();
      // A server that accepts the socket but never answers the login is as dead as a refused one.
      if (heartbeat) {
        t.set('heartbeat-timeout', h.clock.now() + heartbeat.timeoutMs, () => {
          if (sessionUp || !mine()) return;
          disposeInstance();
          scheduleRestart(false, presetDelayMs);
        });
      }
      const resume = h.resumeInfo();
      sendFrame({
        type: 'session:login',
        token,
        ...(resume ? { sessionId: resume.sessionId, lastSeq: resume.lastSeq } : {}),
      });
    };
    instance.onmessage = (event: { data: unknown }) => {
      if (mine()) onFrame(event.data);
    };
    instance.onclose = (event: { code: number; reason: string }) => {
      if (mine()) onClose(event.code);
    };
  }

  function onFrame(data: unknown): void {
    const h = need().host;
    lastFrameAt = h.clock.now();
    if (sessionUp) timers?.clear('heartbeat-timeout');
    const frame = parseServerFrame(data);
    if (!frame) {
      h.warn(new SessionError('error:client:transport', 'Ignored a malformed frame from the server.'));
      return;
    }
    switch (frame.type) {
      case 'session:success':
        sessionUp = true;
        cycleAttempt = 0;
        presetNext();
        timers?.clear('heartbeat-timeout');
        if (!frame.resumed) ackSeq = 0;
        startHeartbeat();
        h.connected({
          sessionId: frame.sessionId,
          userId: frame.userId,
          resumed: frame.resumed,
          ...(frame.serverTime !== undefined ? { serverTime: frame.serverTime } : {}),
          ...(frame.tokenExpiresAt !== undefined ? { tokenExpiresAt: frame.tokenExpiresAt } : {}),
          ...(frame.resumeWindowMs !== undefined ? { resumeWindowMs: frame.resumeWindowMs } : {}),
        });
        return;
      case 'event':
        h.message({ seq: frame.seq, from: frame.from, body: frame.body });
        queueAck(frame.seq);
        return;
      case 'message:ack':
        h.acked(frame.mid);
        return;
      case 'session:token_updated':
      case 'session:logged_out':
        pending.get(frame.rid)?.resolve(frame);
        pending.delete(frame.rid);
        return;
      case 'session:error':
        if (frame.rid !== undefined && pending.has(frame.rid)) {
          pending.get(frame.rid)?.reject(new SessionError('error:client:token_invalid', frame.message));
          pending.delete(frame.rid);
        } else {
          lastServerError = frame.message;
        }
        return;
      case 'session:disconnect':
        if (frame.reason === 'TOKEN_EXPIRED') tokenExpiredSignal = true;
        return;
      case 'pong':
        return;
    }
  }

  function queueAck(seq: number): void {
    ackSeq = Math.max(ackSeq, seq);
    if (ackQueued) return;
    ackQueued = true;
    // One cumulative ack per burst of events (a replay can be thousands).
    queueMicrotask(() => {
      ackQueued = false;
      if (sessionUp) sendFrame({ type: 'ack', seq: ackSeq });
    });
  }

  function onClose(code: number): void {
    const h = need().host;
    const wasUp = sessionUp;
    sessionUp = false;
    timers?.clear('heartbeat');
    timers?.clear('heartbeat-timeout');
    settleRequests(null); // a token update not acknowledged is still used at the next login

    if (code === Close.tokenExpired || tokenExpiredSignal) {
      disposeInstance();
      h.disconnected('TOKEN_EXPIRED');
      return;
    }
    if (code === Close.invalidToken) {
      disposeInstance();
      h.loginFailed(new SessionError('error:client:login_failed', lastServerError ?? 'The server refused the token.'));
      return;
    }
    if (code === Close.replaced) {
      disposeInstance();
      h.disconnected('CLIENT_DISCONNECTED');
      return;
    }
    if (code === Close.rateLimited) {
      // Slower than the schedule: this RWS instance is stopped and a new one starts later.
      const delayMs = Math.max(rateLimitedDelayMs, presetDelayMs * 2);
      disposeInstance();
      scheduleRestart(wasUp, delayMs);
      return;
    }
    // RWS has already scheduled the next socket presetDelayMs from now.
    const at = h.clock.now() + presetDelayMs;
    if (wasUp) {
      waiting = true;
      h.disconnected('CONNECTION_FAILED', at);
    } else if (cycleAttempt >= h.reconnect.maxRetries) {
      disposeInstance();
      h.reconnectionFailed();
    } else {
      waiting = true;
      h.retryScheduled(cycleAttempt + 1, at);
    }
  }

  /** Next attempt in `delayMs` on a new RWS instance (after a heartbeat timeout or a 4429). */
  function scheduleRestart(wasUp: boolean, delayMs: number): void {
    const { host: h, timers: t } = need();
    if (!wasUp && cycleAttempt >= h.reconnect.maxRetries) {
      h.reconnectionFailed();
      return;
    }
    const at = h.clock.now() + delayMs;
    waiting = true;
    t.set('restart', at, () => openInstance(true));
    if (wasUp) h.disconnected('CONNECTION_FAILED', at);
    else h.retryScheduled(cycleAttempt + 1, at);
  }

  function startHeartbeat(): void {
    const hb = heartbeat; // fixed for this connection
    if (!hb) return;
    const t = need().timers;
    const beat = () => {
      if (!sessionUp) return;
      const sentAt = need().host.clock.now();
      sendFrame({ type: 'ping', t: sentAt });
      // The deadline counts from the first unanswered ping: a later ping must not push it back
      // (with intervalMs <= timeoutMs it would, forever). Any frame from the server clears it.
      if (!t.has('heartbeat-timeout')) {
        t.set('heartbeat-timeout', sentAt + hb.timeoutMs, () => {
          if (lastFrameAt >= sentAt) return;
          // Half-open: the server stopped answering but the socket looks open. Treat as a loss.
          disposeInstance();
          scheduleRestart(true, backoffDelayMs(1, need().host.reconnect, need().host.random));
        });
      }
      t.set('heartbeat', sentAt + hb.intervalMs, beat);
    };
    t.set('heartbeat', need().host.clock.now() + hb.intervalMs, beat);
  }

  function request(frame: Record<string, unknown>): Promise<ServerFrame | null> {
    const { requestTimers: rt } = need();
    const rid = `r${nextRid++}`;
    return new Promise((resolve, reject) => {
      if (!sendFrame({ ...frame, rid })) {
        resolve(null);
        return;
      }
      const timer = rt.after(requestTimeoutMs, () => {
        pending.delete(rid);
        resolve(null);
      });
      pending.set(rid, {
        resolve: (f) => {
          rt.cancel(timer);
          resolve(f);
        },
        reject: (err) => {
          rt.cancel(timer);
          reject(err);
        },
      });
    });
  }

  return {
    attach(h) {
      host = h;
      heartbeat ??= h.heartbeat;
      timers = new Timers(h.clock);
      requestTimers = new TimerSet(h.clock);
    },
    login(t) {
      token = t;
      cycleAttempt = 0;
      timers?.clear('restart');
      openInstance(false);
    },
    connect() {
      if (sessionUp) return;
      cycleAttempt = 0;
      timers?.clear('restart');
      openInstance(false);
    },
    retryNow() {
      if (sessionUp || !waiting) return;
      timers?.clear('restart');
      openInstance(true);
    },
    async updateToken(t) {
      token = t;
      if (!sessionUp) return {};
      const answer = await request({ type: 'session:update_token', token: t });
      return answer && answer.type === 'session:token_updated' && answer.tokenExpiresAt !== undefined
        ? { tokenExpiresAt: answer.tokenExpiresAt }
        : {};
    },
    suspend() {
      timers?.clear('restart');
      disposeInstance();
      settleRequests(null);
    },
    async logout() {
      timers?.clear('restart');
      if (sessionUp) await request({ type: 'session:logout' }).catch(() => null);
      disposeInstance();
      settleRequests(null);
      token = null;
    },
    send(message) {
      if (sessionUp) sendFrame({ type: 'message', mid: message.mid, body: message.body });
    },
    destroy() {
      timers?.clearAll();
      requestTimers?.cancelAll();
      disposeInstance();
      settleRequests(null);
      host = null;
    },
  };
}
