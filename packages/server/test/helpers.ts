/** Real server, real JWTs, real sockets on 127.0.0.1 — shared by the integration suites. */
import { createSecretKey } from 'node:crypto';
// The engine through its public API only: these tests check the server, and must survive the
// engine being rewritten behind that API.
import type {
  Session,
  SessionEventName,
  SessionOptions,
  WebSocketConstructor,
  WebSocketTransportOptions,
} from '@nexmo-session/core';
import { createSession, manualNetwork, sessionEventNames, webSocketTransport } from '@nexmo-session/core';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { describeEvent } from '../../../test-support/trace.js';
import { until } from '../../../test-support/until.js';
import type { SessionServerOptions } from '../src/server.js';
import { createSessionServer } from '../src/server.js';

export { until };

export const secret = 'integration-test-secret-0123456789';
export const key = createSecretKey(Buffer.from(secret, 'utf8'));

export async function mint(
  claims: { sub?: string; ttlSeconds?: number; nbf?: number; iss?: string; aud?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now);
  if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
  jwt = jwt.setExpirationTime(now + (claims.ttlSeconds ?? 3600));
  if (claims.nbf !== undefined) jwt = jwt.setNotBefore(claims.nbf);
  if (claims.iss) jwt = jwt.setIssuer(claims.iss);
  if (claims.aud) jwt = jwt.setAudience(claims.aud);
  return jwt.sign(key);
}

export const token = (sub = 'alice', ttlSeconds = 3600) => mint({ sub, ttlSeconds });

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

export async function startServer(options: Partial<SessionServerOptions> = {}) {
  const logs: LogLine[] = [];
  const server = await createSessionServer({
    keys: { secret },
    logger: (level, message, fields) => logs.push({ level, message, ...(fields ? { fields } : {}) }),
    ...options,
  });
  return { server, logs };
}

/** `ws` as the WebSocket constructor, recording every URL a client opens. */
export function recordingWebSocket(urls: string[]): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      urls.push(url);
    }
  } as unknown as WebSocketConstructor;
}

export const fastSchedule = { initialDelayMs: 50, factor: 2, maxDelayMs: 1000, maxRetries: 5 };

export function client(
  url: string,
  options: Partial<SessionOptions> = {},
  transport: WebSocketTransportOptions = {},
  urls: string[] = [],
) {
  const session: Session = createSession({
    transport: webSocketTransport(url, { WebSocket: recordingWebSocket(urls), ...transport }),
    reconnect: fastSchedule,
    network: manualNetwork(true),
    ...options,
  });
  const events: { name: SessionEventName; arg: unknown; at: number }[] = [];
  const names = sessionEventNames.filter((n) => n !== 'status' && n !== 'token:expiring');
  for (const name of names) session.on(name, (arg?: unknown) => events.push({ name, arg, at: Date.now() }));
  const trace = () => events.filter((e) => e.name !== 'message').map((e) => describeEvent(e.name, e.arg));
  return { session, events, trace, urls };
}

/** A raw protocol client for hostile-input tests. */
export function rawClient(url: string) {
  const ws = new WebSocket(url);
  const frames: Record<string, unknown>[] = [];
  let closed: { code: number; reason: string } | null = null;
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  ws.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
  });
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    opened,
    send: (data: unknown) => ws.send(typeof data === 'string' ? data : JSON.stringify(data)),
    closed: () => closed as { code: number; reason: string } | null,
    waitClose: async (timeoutMs = 8000) => {
      await until(() => closed !== null, timeoutMs, 'close');
      return closed as unknown as { code: number; reason: string };
    },
  };
}
