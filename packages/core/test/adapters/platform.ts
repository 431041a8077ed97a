/**
 * A local stand-in for the Vonage platform (facts/vonage-sdks.md §2): socket.io 4 on path
 * /v2/rtc, login by handshake query, `session:success` replies, resume by `session_id`, the REST
 * routes the SDKs call, and fault controls. 127.0.0.1 only.
 */
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io';
import { Server } from 'socket.io';
import { decodeToken } from '../../src/token.js';

interface PlatformSession {
  id: string;
  userId: string;
  lostAt: number | null;
}

export interface Platform {
  readonly url: string;
  readonly port: number;
  /** Handshake queries seen, in order (to check what the SDK sent). */
  readonly handshakes: Record<string, unknown>[];
  readonly sessions: Map<string, PlatformSession>;
  /** REST calls seen, as 'METHOD /path' (e.g. the SDK's refreshSession PUT names its session id). */
  readonly restCalls: string[];
  /** Close the transport of every connected socket (a network blip; the SDK retries). */
  blip(): void;
  /** The platform disconnects every socket after an expired-token error (server-initiated). */
  expireTokens(): void;
  /** Server-initiated disconnect without expiry (e.g. a deploy). */
  serverDisconnect(): void;
  /** Stop listening and drop everything; `start()` again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * A quick restart on the same port (a deploy): back well inside the SDKs' first retry wait, so
   * their own loop reconnects. `forgetSessions` drops every session, as a restart without shared
   * session storage does.
   */
  restart(options?: { forgetSessions?: boolean }): Promise<void>;
  /** How long a session stays resumable after its socket drops. */
  sessionTtlMs: number;
  /** While true, connections are taken but never answered with `session:success` (a stalled platform). */
  silent: boolean;
}

export async function startPlatform(options: { port?: number; sessionTtlMs?: number } = {}): Promise<Platform> {
  const sessions = new Map<string, PlatformSession>();
  const handshakes: Record<string, unknown>[] = [];
  const restCalls: string[] = [];
  let http: HttpServer | null = null;
  let io: Server | null = null;
  let port = options.port ?? 0;
  let nextId = 1;

  function rest(req: IncomingMessage, res: ServerResponse): void {
    const headers = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
      'access-control-allow-methods': '*',
      'content-type': 'application/json',
    };
    if (req.method !== 'OPTIONS') restCalls.push(`${req.method} ${req.url}`);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    const m = /^\/v0\.2\/sessions\/([^/?]+)/.exec(req.url ?? '');
    if (req.method === 'PUT' && m) {
      res.writeHead(200, headers);
      res.end(JSON.stringify({ session_id: decodeURIComponent(m[1] as string) }));
      return;
    }
    res.writeHead(200, headers);
    res.end('{}');
  }

  function onConnection(socket: Socket): void {
    const query = { ...socket.handshake.query } as Record<string, string>;
    handshakes.push(query);
    let sub = 'user';
    try {
      const claims = decodeToken(query.token);
      if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) {
        socket.emit('system:error:expired-token', { body: {} });
        socket.disconnect(true);
        return;
      }
      sub = claims.sub ?? 'user';
    } catch {
      socket.emit('system:error:invalid-token', { body: { message: 'invalid token' } });
      socket.disconnect(true);
      return;
    }
    const wanted = query.session_id ? sessions.get(query.session_id) : undefined;
    const alive =
      wanted &&
      wanted.userId === sub &&
      (wanted.lostAt === null || Date.now() - wanted.lostAt <= platform.sessionTtlMs);
    const session = alive && wanted ? wanted : { id: `SESSION-${nextId++}`, userId: sub, lostAt: null };
    session.lostAt = null;
    sessions.set(session.id, session);
    socket.data.sessionId = session.id;
    if (!platform.silent)
      socket.emit('session:success', { body: { id: session.id, user_id: `USR-${sub}`, name: sub, api_key: 'KEY' } });
    socket.on('session:logout', (request: { tid?: string }) => {
      sessions.delete(session.id);
      socket.emit('session:logged-out', { rid: request?.tid, body: {} });
    });
    socket.on('disconnect', () => {
      const s = sessions.get(session.id);
      if (s) s.lostAt = Date.now();
    });
  }

  const platform: Platform = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    handshakes,
    sessions,
    restCalls,
    sessionTtlMs: options.sessionTtlMs ?? 300_000,
    silent: false,
    blip() {
      for (const socket of io?.sockets.sockets.values() ?? []) socket.conn.close();
    },
    expireTokens() {
      for (const socket of io?.sockets.sockets.values() ?? []) {
        socket.emit('system:error:expired-token', { body: {} });
        socket.disconnect(true);
      }
    },
    serverDisconnect() {
      for (const socket of io?.sockets.sockets.values() ?? []) socket.disconnect(true);
    },
    async start() {
      http = createServer();
      io = new Server(http, { path: '/v2/rtc', transports: ['websocket'], cors: { origin: '*' } });
      // engine.io claims every URL under /v2/rtc/; the REST routes (and metrics) go to us first.
      const engineListeners = http.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
      http.removeAllListeners('request');
      http.on('request', (req: IncomingMessage, res: ServerResponse) => {
        const url = req.url ?? '';
        if (url.startsWith('/v2/rtc/metrics') || !url.startsWith('/v2/rtc/')) rest(req, res);
        else for (const l of engineListeners) l.call(http, req, res);
      });
      io.on('connection', onConnection);
      await new Promise<void>((resolve) => (http as HttpServer).listen(port, '127.0.0.1', resolve));
      port = ((http as HttpServer).address() as AddressInfo).port;
    },
    async stop() {
      const server = io;
      const h = http;
      io = null;
      http = null;
      if (!server || !h) return;
      for (const socket of server.sockets.sockets.values()) {
        const s = sessions.get(socket.data.sessionId as string);
        if (s) s.lostAt = Date.now();
      }
      server.close();
      h.closeAllConnections();
      await new Promise<void>((resolve) => h.close(() => resolve()));
    },
    async restart({ forgetSessions = false } = {}) {
      await platform.stop();
      if (forgetSessions) sessions.clear();
      await platform.start();
    },
  };
  await platform.start();
  return platform;
}
