/**
 * The WebSocket connector for the reference server protocol (design §3): one raw socket per
 * attempt, nothing else. The engine owns the retry loop (on its Clock), so this file has no timers
 * of its own beyond a request's answer deadline, and a destroyed session leaves nothing behind.
 * (reconnecting-websocket used to live here; docs/decisions.md says why it left.)
 */
import type { Clock } from '../../clock.js';
import { SessionError, SessionOptionsError } from '../../errors.js';
import { positiveNumber, resolveHeartbeat } from '../../options.js';
import { protocolConnection } from '../protocol-connection.js';
import type { Connector } from '../types.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

/** The subset of the WebSocket API we use; `ws` in Node and the browser's WebSocket both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  /** `ws` only: destroy the TCP socket at once (a half-open socket would linger for the close handshake). */
  terminate?: () => void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface WebSocketTransportOptions {
  /** WebSocket constructor; required where there is no global one (Node 20: pass `ws`). */
  WebSocket?: WebSocketConstructor;
  /** Dead-connection detection for this transport; overrides createSession's `heartbeat`. */
  heartbeat?: { intervalMs?: number; timeoutMs?: number } | false;
  /** Longest an attempt may take, from opening the socket to the server's `session:success`. Default 10000. */
  connectionTimeoutMs?: number;
  /** How long update_token / logout wait for the server's answer. Default 10000. */
  requestTimeoutMs?: number;
}

export interface WebSocketConnector extends Connector {
  readonly url: string;
}

export function webSocketTransport(url: string, options: WebSocketTransportOptions = {}): WebSocketConnector {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SessionOptionsError(
      'url',
      process.env.NODE_ENV !== 'production' ? `not a valid URL: ${JSON.stringify(String(url)).slice(0, 80)}.` : '',
    );
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new SessionOptionsError(
      'url',
      process.env.NODE_ENV !== 'production' ? `expected a ws:// or wss:// URL, got ${parsed.protocol}.` : '',
    );
  }
  if (/[?&](access_)?token=|jwt=/i.test(parsed.search)) {
    throw new SessionOptionsError(
      'url',
      process.env.NODE_ENV !== 'production'
        ? 'tokens never go in URLs (access logs keep them); login sends the token.'
        : '',
    );
  }
  if (options.WebSocket !== undefined && typeof options.WebSocket !== 'function') {
    throw new SessionOptionsError(
      'WebSocket',
      process.env.NODE_ENV !== 'production' ? 'expected a WebSocket constructor (Node: the `ws` package).' : '',
    );
  }
  const attemptTimeoutMs = positiveNumber('connectionTimeoutMs', options.connectionTimeoutMs, 10_000);
  const requestTimeoutMs = positiveNumber('requestTimeoutMs', options.requestTimeoutMs, 10_000);
  let clock: Clock | null = null;

  return {
    kind: 'connector',
    url,
    attemptTimeoutMs,
    ...(options.heartbeat !== undefined ? { heartbeat: resolveHeartbeat(options.heartbeat) } : {}),
    attach(env) {
      clock = env.clock;
    },
    open(request, handlers) {
      const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
      if (!clock)
        throw new Error(process.env.NODE_ENV !== 'production' ? 'webSocketTransport: not attached to a session.' : '');
      if (!Ctor) {
        throw new SessionError(
          'error:client:websocket_unavailable',
          process.env.NODE_ENV !== 'production'
            ? 'No WebSocket here: pass webSocketTransport(url, { WebSocket }) (Node 20: the `ws` package).'
            : '',
        );
      }
      let socket: WebSocketLike | undefined;
      let refused = '';
      try {
        socket = new Ctor(url);
      } catch (cause) {
        // Browsers throw at once for some URLs (a blocked port, mixed content): an attempt that failed.
        refused = cause instanceof Error ? cause.message : String(cause);
      }
      const conn = protocolConnection(
        socket ?? { readyState: 3, send() {}, close() {} },
        request,
        handlers,
        clock,
        requestTimeoutMs,
        () => socket?.terminate?.(),
      );
      if (!socket) {
        queueMicrotask(() => conn.handleClose(null, refused));
        return conn;
      }
      const on = (type: string, fn: (event: never) => void) => socket.addEventListener(type, fn);
      on('open', conn.handleOpen);
      on('message', (event: { data: unknown }) => conn.handleMessage(event.data));
      // Always listened to: `ws` crashes the process on an 'error' nobody listens for.
      on('error', (event: { message?: string; error?: { message?: string } }) =>
        conn.handleError(event.message ?? event.error?.message),
      );
      on('close', (event: { code?: number; reason?: string }) =>
        conn.handleClose(event.code ?? null, event.reason ?? ''),
      );
      return conn;
    },
  };
}
