/**
 * The reference session server (design §3): JWT login as the first frame, sessions that outlive
 * their socket for the resume window, replay by seq, TOKEN_EXPIRED at `exp`, de-duplicated
 * messages, flow control by nack. This file is the protocol side (sockets, frames, limits); where
 * sessions live is a backend (registry/backend.ts): this process's memory by default, or Redis,
 * shared by several processes (design §3.3). Every frame it writes goes through the protocol
 * module's typed encoders.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { LoginFrame, NackCode, ServerFrame } from '@nexmo-session/core/protocol';
import {
  CloseCode,
  encodeServerFrame,
  maxBodyDepth,
  maxIdLength,
  parseClientFrame,
  scanFrame,
} from '@nexmo-session/core/protocol';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { Connection } from './connection.js';
import { handleDevRoute } from './dev-routes.js';
import type { KeyOptions, VerifiedToken, Verifier, VerifyOptions } from './keys.js';
import { createVerifier, TokenRejected } from './keys.js';
import type { ServerLimits } from './limits.js';
import { limitNames, resolveLimits } from './limits.js';
import { setLongTimeout } from './long-timeout.js';
import { KeyedLimiter } from './rate-limit.js';
import type { BackendContext, Logger, OnMessage, Publish, SessionBackend, SessionRef } from './registry/backend.js';
import { memoryBackend } from './registry/memory-backend.js';
import type { RedisOptions } from './registry/redis/options.js';
import type { SessionCaps, SessionRegistry } from './registry.js';
import { InMemoryRegistry } from './registry.js';
import { eventBytes } from './replay-log.js';

export type { Logger, OnMessage, Publish };

export interface SessionServerOptions extends VerifyOptions, Partial<ServerLimits> {
  keys: KeyOptions;
  port?: number;
  host?: string;
  /** WebSocket path. Default '/ws'. */
  path?: string;
  /** Replace the default routing (publish every new message to every session). */
  onMessage?: OnMessage;
  /** Where sessions live in this process (default: a new InMemoryRegistry). Not with `redis`. */
  registry?: SessionRegistry;
  /**
   * Keep sessions in Redis so several processes share them (design §3.3): a `redis://` URL, or
   * options. Any process resumes any session; events reach whichever process holds the socket.
   */
  redis?: string | RedisOptions;
  /** Enables /dev/* routes (token minting, fault injection). Never in production. */
  dev?: boolean;
  logger?: Logger;
  /** @deprecated Failed logins per address; use `failedLoginBurst` and `failedLoginsPerSecond`. */
  loginRate?: { burst: number; perSecond: number };
}

export interface SessionServer {
  readonly port: number;
  /** ws://host:port/path */
  readonly url: string;
  /** The limits in force (defaults overlaid with the options). */
  readonly limits: Readonly<ServerLimits>;
  /** Where sessions live and what a restart does to them (the startup banner's line). */
  readonly registry: string;
  publish: Publish;
  stats(): { sessions: number; connections: number; waiting: number };
  close(): Promise<void>;
  /** Fault injection, used by /dev routes and tests. */
  readonly faults: {
    /** Destroy matching connections without a close frame (a network drop). */
    drop(sub?: string): number;
    /** End matching connections with TOKEN_EXPIRED (close 4001). */
    expireToken(sub?: string): number;
    /** Drop every connection and refuse new ones for `ms`. */
    pause(ms: number): void;
    /**
     * Stall every socket for `ms`, as a frozen network would: nothing is read, and frames the
     * server writes meanwhile are held and written, in order, when it ends. Nothing is dropped.
     */
    freeze(ms: number): void;
  };
}

const defaultLogger: Logger = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'info') console.log(line);
  else console.error(line);
};

const isMid = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= maxIdLength;

export async function createSessionServer(options: SessionServerOptions): Promise<SessionServer> {
  const limits = resolveLimits(limitOptions(options));
  if (options.registry && options.redis) {
    throw new TypeError('Give `registry` or `redis`, not both: with `redis`, sessions live in Redis.');
  }
  const verify: Verifier = await createVerifier(options.keys, options);
  const log = options.logger ?? defaultLogger;
  const path = options.path ?? '/ws';
  const caps: SessionCaps = {
    replay: { maxBytes: limits.replayMaxBytes, maxEvents: limits.replayMaxEvents },
    maxRememberedMids: limits.maxRememberedMids,
  };
  const announced = {
    maxFrameBytes: limits.maxFrameBytes,
    messagesPerSecond: limits.messagesPerSecond,
    burst: limits.messageBurst,
  };
  const failedLogins = new KeyedLimiter(limits.failedLoginBurst, limits.failedLoginsPerSecond);
  const newSessions = new KeyedLimiter(limits.userLoginBurst, limits.userLoginsPerSecond);

  const connections = new Set<Connection>();
  const frozen = new Set<Connection>();
  let frozenUntil = 0;
  let thawTimer: ReturnType<typeof setTimeout> | null = null;
  let pausedUntil = 0;
  let closing = false;

  const context: BackendContext = {
    limits,
    caps,
    log,
    newSessions,
    onMessage: options.onMessage,
    send: (conn, frame) => send(conn, frame),
    nack: (conn, mid, code, message, retryAfterMs) => nack(conn, mid, code, message, retryAfterMs),
    closeWith: (conn, code, message, retryAfterMs) => closeWith(conn, code, message, retryAfterMs),
    cutSlowConsumer(conn, sessionId, behind) {
      log('warn', 'slow consumer cut off', { sessionId, behind });
      closeWith(conn, CloseCode.rateLimited, 'too slow: events you had not received left the replay buffer', 1000);
    },
    goLive(conn, session, verified, replay) {
      if (conn.loginTimer) clearTimeout(conn.loginTimer);
      conn.loginTimer = null;
      conn.state = 'live';
      conn.session = session;
      conn.token = verified;
      armTokenExpiry(conn);
      log('info', replay.resumed ? 'session resumed' : 'session created', {
        sessionId: session.id,
        sub: verified.sub,
      });
      send(conn, {
        type: 'session:success',
        sessionId: session.id,
        userId: session.userId,
        resumed: replay.resumed,
        serverTime: Date.now(),
        tokenExpiresAt: verified.expiresAt,
        resumeWindowMs: limits.resumeWindowMs,
        lastSeq: replay.lastSeq,
        firstSeq: replay.firstSeq,
        limits: announced,
      });
    },
  };
  // Loaded only when asked for: an in-memory server never loads the Redis client.
  const backend: SessionBackend = options.redis
    ? await (await import('./registry/redis/redis-backend.js')).redisBackend(options.redis, context)
    : memoryBackend(options.registry ?? new InMemoryRegistry(), context);

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
  const http: Server = createServer((req, res) => handleHttp(req, res));
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path || closing || Date.now() < pausedUntil) {
      socket.end(
        `HTTP/1.1 ${closing || Date.now() < pausedUntil ? '503 Service Unavailable' : '404 Not Found'}\r\n\r\n`,
      );
      return;
    }
    // Tokens never travel in URLs; refuse a URL that carries one so nobody starts relying on it.
    if (url.searchParams.has('token')) {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  });

  const publish = backend.publish;

  // --- connections ------------------------------------------------------------------------------
  function send(conn: Connection, frame: ServerFrame): void {
    conn.send(encodeServerFrame(frame));
  }

  function nack(conn: Connection, mid: string, code: NackCode, message: string, retryAfterMs?: number): void {
    send(conn, { type: 'message:nack', mid, code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }

  function closeWith(conn: Connection, code: number, message: string, retryAfterMs?: number): void {
    if (conn.state === 'closed') return;
    if (code === CloseCode.tokenExpired) send(conn, { type: 'session:disconnect', reason: 'TOKEN_EXPIRED' });
    else if (code !== CloseCode.normal && code !== CloseCode.goingAway) {
      send(conn, { type: 'session:error', code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    conn.close(code, message.slice(0, 120));
    detach(conn);
  }

  /** The socket is gone (or going): the session stays resumable for the window. */
  function detach(conn: Connection): void {
    if (conn.state === 'closed') return;
    conn.state = 'closed';
    connections.delete(conn);
    if (conn.loginTimer) clearTimeout(conn.loginTimer);
    conn.expiryTimer?.cancel();
    if (conn.session) backend.detached(conn);
  }

  function armTokenExpiry(conn: Connection): void {
    conn.expiryTimer?.cancel();
    const token = conn.token;
    if (!token) return;
    conn.expiryTimer = setLongTimeout(() => {
      log('info', 'token expired', { sessionId: conn.session?.id, sub: token.sub });
      closeWith(conn, CloseCode.tokenExpired, 'token expired');
    }, token.expiresAt - Date.now());
  }

  function accept(ws: WebSocket, req: IncomingMessage): void {
    const conn = new Connection(
      ws,
      req.socket.remoteAddress ?? 'unknown',
      limits,
      {
        handle: (c, text) => handleFrame(c, text),
        writable: (c) => backend.pump(c),
        overflow: (c) => flooded(c),
      },
      Date.now(),
    );
    connections.add(conn);
    if (Date.now() < frozenUntil) {
      conn.freeze();
      frozen.add(conn);
    }
    conn.loginTimer = setTimeout(() => {
      if (conn.state === 'login') {
        closeWith(conn, CloseCode.loginTimeout, `login must be the first frame, within ${limits.loginTimeoutMs} ms`);
      }
    }, limits.loginTimeoutMs);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (conn.state === 'closed' || conn.flooding) return;
      // Counted on arrival, before any queue: a flood is cut off however busy the connection is.
      if (!conn.flood.take(Date.now())) {
        flooded(conn);
        return;
      }
      if (isBinary) {
        closeWith(conn, CloseCode.malformed, 'binary frames are not supported');
        return;
      }
      conn.receive(data.toString());
    });
    ws.on('close', () => detach(conn));
    ws.on('error', (err) => {
      // ws reports oversize frames here before closing with 1009.
      log('warn', 'socket error', { address: conn.address, error: err.message });
      detach(conn);
    });
  }

  function flooded(conn: Connection): void {
    if (conn.flooding) return;
    conn.flooding = true;
    const retryAfterMs = conn.flood.retryAfterMs;
    log('warn', 'flood: connection closed', { address: conn.address, sessionId: conn.session?.id });
    const cut = () =>
      closeWith(
        conn,
        CloseCode.rateLimited,
        `flood: far more than ${limits.messagesPerSecond} messages per second; wait ${retryAfterMs} ms`,
        retryAfterMs,
      );
    const recorded = conn.session ? backend.flooded(conn, retryAfterMs) : undefined;
    if (!recorded) return cut();
    // The close waits for the block to reach the shared store (Redis), bounded: a client that
    // resumed on another process the moment it heard the close would otherwise find no block.
    conn.freeze(); // stop reading the flood meanwhile; the close is written after the block
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      cut();
      conn.thaw();
    };
    const deadline = setTimeout(finish, 1000);
    void recorded.finally(finish);
  }

  function handleFrame(conn: Connection, text: string): void | Promise<void> {
    try {
      const pending = frame(conn, text);
      return pending?.catch((err: unknown) => internalError(conn, err));
    } catch (err) {
      internalError(conn, err);
    }
  }

  function internalError(conn: Connection, err: unknown): void {
    log('error', 'frame handler failed', { error: String(err) });
    closeWith(conn, CloseCode.malformed, 'internal error');
  }

  /**
   * A message over the rate is refused from a scan of its text, before JSON.parse builds it, so a
   * client sending too fast costs one linear pass per frame. Returns true when it was refused.
   */
  function refusedForRate(conn: Connection, text: string, now: number): boolean | 'admitted' {
    const scan = scanFrame(text, maxBodyDepth + 1);
    if (scan.type !== 'message' || scan.tooDeep || !isMid(scan.mid) || backend.knownMid(conn, scan.mid)) return false;
    const admission = conn.gate.admit(scan.mid, now);
    if (admission.ok) return 'admitted';
    if (!conn.rateWarned) {
      conn.rateWarned = true;
      log('warn', 'message rate exceeded: nacking', { sessionId: conn.session?.id });
    }
    nack(
      conn,
      scan.mid,
      'rate_limited',
      `over ${limits.messagesPerSecond} messages per second`,
      admission.retryAfterMs,
    );
    return true;
  }

  function frame(conn: Connection, text: string): void | Promise<void> {
    if (conn.state === 'closed') return;
    const now = Date.now();
    let admitted = false;
    if (conn.state === 'live' && conn.session) {
      const rate = refusedForRate(conn, text, now);
      if (rate === true) return;
      admitted = rate === 'admitted';
    }
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      const { violation } = parsed;
      if (violation.nack && conn.state === 'live') {
        nack(conn, violation.nack.mid, violation.nack.code, violation.message);
        return;
      }
      log('warn', 'bad frame', { address: conn.address, reason: violation.message });
      closeWith(conn, violation.code, violation.message);
      return;
    }
    const f = parsed.frame;
    if (conn.state === 'login') {
      if (f.type !== 'session:login') {
        closeWith(conn, CloseCode.malformed, 'session:login must be the first frame');
        return;
      }
      return login(conn, f);
    }
    const session = conn.session as SessionRef;
    switch (f.type) {
      case 'session:login':
        closeWith(conn, CloseCode.malformed, 'already logged in');
        return;
      case 'session:update_token':
        return updateToken(conn, session, f.rid, f.token);
      case 'session:logout':
        return backend.logout(conn, f.rid);
      case 'message': {
        if (!backend.knownMid(conn, f.mid)) {
          if (!admitted) {
            const admission = conn.gate.admit(f.mid, now);
            if (!admission.ok) {
              nack(
                conn,
                f.mid,
                'rate_limited',
                `over ${limits.messagesPerSecond} messages per second`,
                admission.retryAfterMs,
              );
              return;
            }
          }
          // Serialized once, here; every session it goes to shares the text, and replays splice it.
          const bodyJson = JSON.stringify(f.body);
          const bodyBytes = Buffer.byteLength(bodyJson);
          if (eventBytes(bodyBytes, session.userId) > limits.replayMaxBytes) {
            nack(
              conn,
              f.mid,
              'too_large',
              `the body is larger than the replay buffer (${limits.replayMaxBytes} bytes)`,
            );
            return;
          }
          return backend.message(conn, f.mid, f.body, bodyJson, bodyBytes);
        }
        send(conn, { type: 'message:ack', mid: f.mid });
        return;
      }
      case 'ack':
        // Never past what this socket was sent: an ack cannot drop events nobody received.
        backend.ack(conn, Math.min(f.seq, conn.sentSeq));
        return;
      case 'ping':
        send(conn, { type: 'pong', t: f.t });
        return;
    }
  }

  async function updateToken(conn: Connection, session: SessionRef, rid: string, token: string): Promise<void> {
    let verified: VerifiedToken;
    try {
      verified = await verify(token);
    } catch (err) {
      const reason = err instanceof TokenRejected ? err.message : 'token rejected';
      send(conn, { type: 'session:error', rid, code: CloseCode.invalidToken, message: reason });
      return;
    }
    if (conn.state !== 'live') return;
    if (verified.sub !== session.userId) {
      send(conn, {
        type: 'session:error',
        rid,
        code: CloseCode.invalidToken,
        message: 'token belongs to another user',
      });
      return;
    }
    conn.token = verified;
    armTokenExpiry(conn);
    send(conn, { type: 'session:token_updated', rid, tokenExpiresAt: verified.expiresAt });
  }

  /**
   * Login limits count what an attacker spends (design §3): failed logins per address, new
   * sessions per user, and nothing for an owner resuming its session, so a fleet behind one
   * address recovers from a restart, even of a server that forgot every session.
   */
  async function login(conn: Connection, frame: LoginFrame): Promise<void> {
    const waitMs = failedLogins.waitMs(conn.address, Date.now());
    if (waitMs > 0) {
      log('warn', 'login refused: too many failed logins from this address', { address: conn.address });
      closeWith(conn, CloseCode.rateLimited, 'too many failed logins from this address', waitMs);
      return;
    }
    let verified: VerifiedToken;
    try {
      verified = await verify(frame.token);
    } catch (err) {
      failedLogins.take(conn.address, Date.now());
      const rejected = err instanceof TokenRejected ? err : new TokenRejected('invalid', 'token rejected');
      log('warn', 'login refused', { address: conn.address, reason: rejected.message });
      if (rejected.reason === 'expired') closeWith(conn, CloseCode.tokenExpired, 'token expired');
      else closeWith(conn, CloseCode.invalidToken, rejected.message);
      return;
    }
    if (conn.state !== 'login') return;
    return backend.login(conn, frame, verified);
  }

  // --- http -------------------------------------------------------------------------------------
  function handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, ...stats() }));
      return;
    }
    if (options.dev && url.pathname.startsWith('/dev/')) {
      handleDevRoute(req, res, url, {
        keys: options.keys,
        faults,
        ...(options.issuer ? { issuer: options.issuer } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
      }).catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  function stats() {
    return { ...backend.stats(), connections: connections.size };
  }

  function matching(sub?: string): Connection[] {
    return [...connections].filter((c) => sub === undefined || c.token?.sub === sub);
  }

  function thaw(): void {
    if (thawTimer) clearTimeout(thawTimer);
    thawTimer = null;
    frozenUntil = 0;
    const list = [...frozen];
    frozen.clear();
    for (const conn of list) conn.thaw();
  }

  const faults: SessionServer['faults'] = {
    drop(sub) {
      const list = matching(sub);
      for (const conn of list) {
        conn.ws.terminate();
        detach(conn);
      }
      return list.length;
    },
    expireToken(sub) {
      const list = matching(sub).filter((c) => c.state === 'live');
      for (const conn of list) closeWith(conn, CloseCode.tokenExpired, 'token expired');
      return list.length;
    },
    pause(ms) {
      pausedUntil = Date.now() + ms;
      faults.drop();
    },
    freeze(ms) {
      if (thawTimer) clearTimeout(thawTimer);
      frozenUntil = Date.now() + ms;
      for (const conn of connections) {
        conn.freeze();
        frozen.add(conn);
      }
      thawTimer = setTimeout(thaw, ms);
    },
  };

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await backend.close();
    throw err;
  }
  const { port } = http.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    port,
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    limits,
    registry: backend.description,
    publish,
    stats,
    faults,
    async close() {
      if (closing) return;
      closing = true;
      thaw();
      for (const conn of [...connections]) closeWith(conn, CloseCode.goingAway, 'server shutting down');
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await backend.close();
    },
  };
}

/** The limits given in the options; `loginRate` is the old name of the failed-login limit. */
function limitOptions(options: SessionServerOptions): Partial<ServerLimits> {
  const given: Partial<ServerLimits> = {};
  if (options.loginRate) {
    given.failedLoginBurst = options.loginRate.burst;
    given.failedLoginsPerSecond = options.loginRate.perSecond;
  }
  for (const name of limitNames) if (options[name] !== undefined) given[name] = options[name];
  return given;
}
