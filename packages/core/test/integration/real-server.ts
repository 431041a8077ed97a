/** The engine against the real reference server: real sockets on 127.0.0.1, real JWTs, `ws`. */
import { createSecretKey } from 'node:crypto';
import type { SessionServer, SessionServerOptions } from '@nexmo-session/server';
import { createSessionServer } from '@nexmo-session/server';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { manualNetwork } from '../../src/network.js';
import type { SessionOptions } from '../../src/options.js';
import type { Session, SessionEventName } from '../../src/session.js';
import { createSession, sessionEventNames } from '../../src/session.js';
import type { WebSocketConstructor } from '../../src/transport/websocket/websocket-transport.js';
import { webSocketTransport } from '../../src/transport/websocket/websocket-transport.js';

export const secret = 'engine-integration-secret-0123456789';

export async function mint(sub = 'alice', ttlSeconds = 3600, signWith = secret): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(createSecretKey(Buffer.from(signWith, 'utf8')));
}

export async function startServer(options: Partial<SessionServerOptions> = {}): Promise<SessionServer> {
  return createSessionServer({ keys: { secret }, logger: () => {}, dev: true, ...options });
}

export function client(url: string, options: Partial<SessionOptions> = {}) {
  const network = manualNetwork(true);
  const session: Session = createSession({
    transport: webSocketTransport(url, { WebSocket: WebSocket as unknown as WebSocketConstructor }),
    network,
    ...options,
  });
  const events: string[] = [];
  for (const name of sessionEventNames) {
    if (name === 'status' || name === 'message') continue;
    session.on(name as SessionEventName, (arg?: unknown) =>
      events.push(
        name === 'error'
          ? `error:${(arg as { type: string }).type}`
          : typeof arg === 'string' || typeof arg === 'number'
            ? `${name}:${arg}`
            : name,
      ),
    );
  }
  return { session, network, events, state: () => session.getState() };
}
