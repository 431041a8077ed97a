/**
 * The reference session server (design §3): JWT login as the first frame, sessions that outlive
 * their socket for the resume window, replay by seq, TOKEN_EXPIRED at `exp`, de-duplicated messages.
 * One process; sessions live in a SessionRegistry so a restart can keep them.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { handleDevRoute } from './dev-routes.js';
import type { KeyOptions, VerifiedToken, Verifier, VerifyOptions } from './keys.js';
import { createVerifier, TokenRejected } from './keys.js';
import type { ClientFrame } from './protocol.js';
import { CloseCode, type ProtocolError, parseClientFrame } from './protocol.js';
import { KeyedLimiter, TokenBucket } from './rate-limit.js';
import type { SessionRecord, SessionRegistry } from './registry.js';
import { InMemoryRegistry } from './registry.js';

export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export type Publish = (target: string, body: unknown, from?: string | null) => number;

export interface SessionServerOptions extends VerifyOptions {
  keys: KeyOptions;
  port?: number;
  host?: string;
  /** WebSocket path. Default '/ws'. */
  path?: string;
  resumeWindowMs?: number;
  loginTimeoutMs?: number;
  /** Frames a connection may send: a burst of `burst`, refilled at `perSecond`. */
  frameRate?: { burst: number; perSecond: number };
  /** Login attempts per remote address. */
  loginRate?: { burst: number; perSecond: number };
  maxFrameBytes?: number;
  /** Replace the default routing (publish every new message to every session). */
  onMessage?: (session: { id: string; userId: string }, body: unknown, publish: Publish) => void;
  registry?: SessionRegistry;
  /** Enables /dev/* routes (token minting, fault injection). Never in production. */
  dev?: boolean;
  logger?: Logger;
  /** Cap on mids remembered per session for de-duplication. */
  maxRememberedMids?: number;
  /** Cap on unacknowledged events kept per session for replay. */
  maxReplayEvents?: number;
}

export interface SessionServer {
  readonly port: number;
  /** ws://host:port/path */
  readonly url: string;
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
    /** Keep sockets open but stop reading and answering (half-open) for `ms`. */
    freeze(ms: number): void;
  };
}

interface Connection {
  ws: WebSocket;
  address: string;
  state: 'login' | 'live' | 'closed';
  session: SessionRecord | null;
  token: VerifiedToken | null;
  loginTimer: ReturnType<typeof setTimeout> | null;
  expiryTimer: ReturnType<typeof setTimeout> | null;
  frames: TokenBucket;
  /** Frames are handled one at a time, in order, even though verification is async. */
  queue: Promise<void>;
}

const defaultLogger: Logger = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'info') console.log(line);
  else console.error(line);
};

export async function createSessionServer(options: SessionServerOptions): Promise<SessionServer> {
  const verify: Verifier = await createVerifier(options.keys, options);
  const log = options.logger ?? defaultLogger;
  const resumeWindowMs = options.resumeWindowMs ?? 300_000;
  const loginTimeoutMs = options.loginTimeoutMs ?? 5000;
  const frameRate = options.frameRate ?? { burst: 200, perSecond: 100 };
  const loginLimiter = new KeyedLimiter(options.loginRate?.burst ?? 20, options.loginRate?.perSecond ?? 2);
  const maxMids = options.maxRememberedMids ?? 10_000;
  const maxReplay = options.maxReplayEvents ?? 10_000;
  const path = options.path ?? '/ws';
  const registry = options.registry ?? new InMemoryRegistry();

  const connections = new Set<Connection>();
  const live = new Map<string, Connection>(); // sessionId → its connection
  const expiry = new Map<string, ReturnType<typeof setTimeout>>(); // sessionId → deletion timer
  let pausedUntil = 0;
  let frozenUntil = 0;
  let closing = false;

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? 64 * 1024 });
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

  // --- sessions ---------------------------------------------------------------------------------
  function armExpiry(record: SessionRecord): void {
    clearTimeout(expiry.get(record.id));
    const lostAt = record.lostAt ?? Date.now();
    const timer = setTimeout(
      () => {
        expiry.delete(record.id);
        if (registry.get(record.id) === record && !live.has(record.id)) {
          registry.delete(record.id);
          log('info', 'session expired', { sessionId: record.id });
        }
      },
      Math.max(0, lostAt + resumeWindowMs - Date.now()),
    );
    timer.unref?.();
    expiry.set(record.id, timer);
  }

  function appendEvent(record: SessionRecord, body: unknown, from: string | null): void {
    const event = { seq: ++record.seq, from, body };
    record.events.push(event);
    if (record.events.length > maxReplay) record.events.splice(0, record.events.length - maxReplay);
    const conn = live.get(record.id);
    if (conn && conn.state === 'live') sendFrame(conn, { type: 'event', ...event });
  }

  const publish: Publish = (target, body, from = null) => {
    let n = 0;
    for (const record of registry.all()) {
      if (record.id === target || record.userId === target) {
        appendEvent(record, body, from);
        n++;
      }
    }
    return n;
  };

  function isAlive(record: SessionRecord): boolean {
    return record.lostAt === null || Date.now() - record.lostAt <= resumeWindowMs;
  }

  // Sessions restored from a registry handed over by a previous server need their expiry timers.
  for (const record of registry.all()) {
    if (record.lostAt === null) record.lostAt = Date.now();
    armExpiry(record);
  }

  // --- connections ------------------------------------------------------------------------------
  function sendFrame(conn: Connection, frame: Record<string, unknown>): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(frame));
  }

  function closeWith(conn: Connection, code: number, message: string): void {
    if (conn.state === 'closed') return;
    if (code === CloseCode.tokenExpired) sendFrame(conn, { type: 'session:disconnect', reason: 'TOKEN_EXPIRED' });
    else if (code !== CloseCode.normal && code !== CloseCode.goingAway) {
      sendFrame(conn, { type: 'session:error', code, message });
    }
    conn.ws.close(code, message.slice(0, 120));
    detach(conn);
  }

  /** The socket is gone (or going): the session stays resumable for the window. */
  function detach(conn: Connection): void {
    if (conn.state === 'closed') return;
    conn.state = 'closed';
    connections.delete(conn);
    if (conn.loginTimer) clearTimeout(conn.loginTimer);
    if (conn.expiryTimer) clearTimeout(conn.expiryTimer);
    const record = conn.session;
    if (record && live.get(record.id) === conn) {
      live.delete(record.id);
      if (registry.get(record.id) === record) {
        record.lostAt = Date.now();
        armExpiry(record);
      }
    }
  }

  function armTokenExpiry(conn: Connection): void {
    if (conn.expiryTimer) clearTimeout(conn.expiryTimer);
    if (!conn.token) return;
    conn.expiryTimer = setTimeout(
      () => {
        log('info', 'token expired', { sessionId: conn.session?.id, sub: conn.token?.sub });
        closeWith(conn, CloseCode.tokenExpired, 'token expired');
      },
      Math.max(0, conn.token.expiresAt - Date.now()),
    );
  }

  function accept(ws: WebSocket, req: IncomingMessage): void {
    const conn: Connection = {
      ws,
      address: req.socket.remoteAddress ?? 'unknown',
      state: 'login',
      session: null,
      token: null,
      loginTimer: null,
      expiryTimer: null,
      frames: new TokenBucket(frameRate.burst, frameRate.perSecond, Date.now()),
      queue: Promise.resolve(),
    };
    connections.add(conn);
    conn.loginTimer = setTimeout(() => {
      if (conn.state === 'login') closeWith(conn, CloseCode.loginTimeout, 'login must be the first frame, within 5 s');
    }, loginTimeoutMs);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (conn.state === 'closed' || Date.now() < frozenUntil) return;
      if (!conn.frames.take(Date.now())) {
        log('warn', 'frame rate exceeded', { address: conn.address, sessionId: conn.session?.id });
        closeWith(conn, CloseCode.rateLimited, 'too many frames');
        return;
      }
      if (isBinary) {
        closeWith(conn, CloseCode.malformed, 'binary frames are not supported');
        return;
      }
      const text = data.toString();
      conn.queue = conn.queue
        .then(() => handleFrame(conn, text))
        .catch((err: unknown) => {
          log('error', 'frame handler failed', { error: String(err) });
          closeWith(conn, CloseCode.malformed, 'internal error');
        });
    });
    ws.on('close', () => detach(conn));
    ws.on('error', (err) => {
      // ws reports oversize frames here before closing with 1009.
      log('warn', 'socket error', { address: conn.address, error: err.message });
      detach(conn);
    });
  }

  async function handleFrame(conn: Connection, text: string): Promise<void> {
    if (conn.state === 'closed') return;
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(text);
    } catch (err) {
      const e = err as ProtocolError;
      log('warn', 'bad frame', { address: conn.address, reason: e.message });
      closeWith(conn, e.code, e.message);
      return;
    }
    if (conn.state === 'login') {
      if (frame.type !== 'session:login') {
        closeWith(conn, CloseCode.malformed, 'session:login must be the first frame');
        return;
      }
      await login(conn, frame);
      return;
    }
    const record = conn.session as SessionRecord;
    switch (frame.type) {
      case 'session:login':
        closeWith(conn, CloseCode.malformed, 'already logged in');
        return;
      case 'session:update_token': {
        let verified: VerifiedToken;
        try {
          verified = await verify(frame.token);
        } catch (err) {
          const reason = err instanceof TokenRejected ? err.message : 'token rejected';
          sendFrame(conn, { type: 'session:error', rid: frame.rid, code: CloseCode.invalidToken, message: reason });
          return;
        }
        if (conn.state !== 'live') return;
        if (verified.sub !== record.userId) {
          sendFrame(conn, {
            type: 'session:error',
            rid: frame.rid,
            code: CloseCode.invalidToken,
            message: 'token belongs to another user',
          });
          return;
        }
        conn.token = verified;
        armTokenExpiry(conn);
        sendFrame(conn, { type: 'session:token_updated', rid: frame.rid, tokenExpiresAt: verified.expiresAt });
        return;
      }
      case 'session:logout':
        clearTimeout(expiry.get(record.id));
        expiry.delete(record.id);
        registry.delete(record.id);
        live.delete(record.id);
        sendFrame(conn, { type: 'session:logged_out', rid: frame.rid });
        log('info', 'logout', { sessionId: record.id });
        closeWith(conn, CloseCode.normal, 'logged out');
        return;
      case 'message': {
        if (!record.takenMids.has(frame.mid)) {
          record.takenMids.set(frame.mid, true);
          if (record.takenMids.size > maxMids) {
            const oldest = record.takenMids.keys().next().value;
            if (oldest !== undefined) record.takenMids.delete(oldest);
          }
          if (options.onMessage) options.onMessage({ id: record.id, userId: record.userId }, frame.body, publish);
          else for (const target of [...registry.all()]) appendEvent(target, frame.body, record.userId);
        }
        sendFrame(conn, { type: 'message:ack', mid: frame.mid });
        return;
      }
      case 'ack': {
        const keepFrom = record.events.findIndex((e) => e.seq > frame.seq);
        record.events.splice(0, keepFrom === -1 ? record.events.length : keepFrom);
        return;
      }
      case 'ping':
        sendFrame(conn, { type: 'pong', t: frame.t });
        return;
    }
  }

  async function login(conn: Connection, frame: Extract<ClientFrame, { type: 'session:login' }>): Promise<void> {
    if (!loginLimiter.take(conn.address, Date.now())) {
      log('warn', 'login rate exceeded', { address: conn.address });
      closeWith(conn, CloseCode.rateLimited, 'too many login attempts');
      return;
    }
    let verified: VerifiedToken;
    try {
      verified = await verify(frame.token);
    } catch (err) {
      const rejected = err instanceof TokenRejected ? err : new TokenRejected('invalid', 'token rejected');
      log('warn', 'login refused', { address: conn.address, reason: rejected.message });
      if (rejected.reason === 'expired') closeWith(conn, CloseCode.tokenExpired, 'token expired');
      else closeWith(conn, CloseCode.invalidToken, rejected.message);
      return;
    }
    if (conn.state !== 'login') return;
    if (conn.loginTimer) clearTimeout(conn.loginTimer);
    conn.loginTimer = null;

    // A resume is granted only to the owner inside the window; anything else is answered exactly
    // like an unknown id (a new session), so ids cannot be probed.
    const wanted = frame.sessionId === undefined ? undefined : registry.get(frame.sessionId);
    const resumable = wanted !== undefined && wanted.userId === verified.sub && isAlive(wanted);
    const record = resumable ? wanted : registry.create(verified.sub, Date.now());
    if (resumable) {
      const previous = live.get(record.id);
      if (previous && previous !== conn) closeWith(previous, CloseCode.replaced, 'session resumed elsewhere');
      clearTimeout(expiry.get(record.id));
      expiry.delete(record.id);
    }
    record.lostAt = null;
    conn.state = 'live';
    conn.session = record;
    conn.token = verified;
    live.set(record.id, conn);
    armTokenExpiry(conn);
    log('info', resumable ? 'session resumed' : 'session created', { sessionId: record.id, sub: verified.sub });

    sendFrame(conn, {
      type: 'session:success',
      sessionId: record.id,
      userId: record.userId,
      resumed: resumable,
      serverTime: Date.now(),
      tokenExpiresAt: verified.expiresAt,
      resumeWindowMs,
      lastSeq: record.seq,
    });
    const from = resumable ? (frame.lastSeq ?? 0) : 0;
    for (const event of record.events) if (event.seq > from) sendFrame(conn, { type: 'event', ...event });
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
    return { sessions: registry.size, connections: connections.size, waiting: registry.size - live.size };
  }

  function matching(sub?: string): Connection[] {
    return [...connections].filter((c) => sub === undefined || c.token?.sub === sub);
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
      frozenUntil = Date.now() + ms;
    },
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    port,
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    publish,
    stats,
    faults,
    async close() {
      if (closing) return;
      closing = true;
      for (const conn of [...connections]) closeWith(conn, CloseCode.goingAway, 'server shutting down');
      for (const timer of expiry.values()) clearTimeout(timer);
      expiry.clear();
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
      });
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
