/**
 * reconnectingWebSocketTransport over a real reconnecting-websocket 4.4 instance against the real
 * server: RWS runs its own loop; the session speaks the protocol on every socket it opens.
 */
import type { SessionServer } from '@nexmo-session/server';
import ReconnectingWebSocket from 'reconnecting-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { until } from '../../../../test-support/until.js';
import { reconnectingWebSocketTransport } from '../../src/adapters/reconnecting-websocket.js';
import { manualNetwork } from '../../src/network.js';
import { createSession } from '../../src/session.js';
import { mint, startServer } from '../integration/real-server.js';
import { traceEvents } from './trace.js';

/** `ws` with an 'error' listener from birth: RWS's connect timeout would otherwise crash Node (environment.md). */
class NodeWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    this.on('error', () => {});
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(options: { maxRetries?: number } = {}) {
  const maxRetries = options.maxRetries ?? 5;
  const server: SessionServer = await startServer();
  cleanups.push(() => server.close());
  const rws = new ReconnectingWebSocket(server.url, [], {
    WebSocket: NodeWebSocket,
    minReconnectionDelay: 100,
    maxReconnectionDelay: 400,
    reconnectionDelayGrowFactor: 2,
    maxRetries,
    startClosed: true,
  });
  const transport = reconnectingWebSocketTransport(rws, { maxRetries });
  const session = createSession({ transport, network: manualNetwork(true) });
  cleanups.push(() => session.destroy());
  const trace = traceEvents(session);
  return { server, rws, session, trace, state: () => session.getState() };
}

describe('reconnectingWebSocketTransport over a real RWS and the real server', { timeout: 20_000 }, () => {
  it('logs in over the app’s own instance and carries messages with acks', async () => {
    const { session, state } = await setup();
    await session.login(await mint());
    expect(state()).toMatchObject({ status: 'connected', userId: 'alice', lastConnect: 'new' });
    await expect(session.send({ hello: 'world' })).resolves.toBeUndefined();
  });

  it('a dropped socket: RWS reconnects by itself, the session resumes the same id, nextRetryAt stays unknown', async () => {
    const { server, session, state, trace } = await setup();
    await session.login(await mint());
    const { sessionId } = state();
    const seen: (number | null)[] = [];
    session.store.subscribe((s) => s.status === 'reconnecting' && seen.push(s.nextRetryAt));
    server.faults.drop();
    await until(() => trace.includes('session:resumed'), 5000, 'resume');
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
    expect(state()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
    expect(seen.every((at) => at === null || at <= Date.now())).toBe(true); // never a guessed countdown
  });

  it('server down: one reconnecting(n) per failed attempt; back: RWS reconnects by itself and the session resumes', async () => {
    const { server, session, state, trace } = await setup({ maxRetries: Number.POSITIVE_INFINITY });
    await session.login(await mint());
    server.faults.pause(60_000);
    await until(() => trace.includes('reconnecting:3'), 10_000, 'three failed attempts');
    expect(trace.slice(0, 4)).toEqual([
      'disconnect:CONNECTION_FAILED',
      'reconnecting:1',
      'reconnecting:2',
      'reconnecting:3',
    ]);
    expect(state()).toMatchObject({ status: 'reconnecting', nextRetryAt: null });
    server.faults.pause(0);
    await until(() => trace.includes('session:resumed'), 5000, 'resume');
    expect(trace.slice(-2)).toEqual(['reconnect', 'session:resumed']);
    expect(state()).toMatchObject({ status: 'connected', lastConnect: 'resumed' });
  });

  it('RWS with a finite maxRetries: reconnection_failed when it gives up, and connect() says why it cannot restart it', async () => {
    const { server, session, state, trace } = await setup({ maxRetries: 3 });
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    await session.login(await mint());
    server.faults.pause(60_000);
    await until(() => state().status === 'disconnected', 10_000, 'reconnection_failed');
    expect(trace).toEqual([
      'disconnect:CONNECTION_FAILED',
      'reconnecting:1',
      'reconnecting:2',
      'reconnecting:3',
      'error:error:client:reconnection_failed',
    ]);
    server.faults.pause(0);
    const err = await session.connect().catch((e) => e);
    expect(err).toMatchObject({ type: 'error:client:reconnection_failed' });
    expect(trace).toContain('error:error:client:transport');
    // What a program reads in production, where the text is gone (errors.ts).
    expect(errors).toContainEqual(
      expect.objectContaining({ type: 'error:client:transport', details: { reason: 'max_retries' } }),
    );
  });

  it('TOKEN_EXPIRED stops RWS (no attempt with the dead token); updateToken + connect() resumes', async () => {
    const { server, rws, session, state, trace } = await setup();
    await session.login(await mint());
    server.faults.expireToken();
    await until(() => state().status === 'disconnected', 5000, 'TOKEN_EXPIRED');
    await new Promise((r) => setTimeout(r, 600)); // RWS would have retried by now
    expect(rws.readyState).toBe(WebSocket.CLOSED);
    expect(trace).toEqual(['disconnect:TOKEN_EXPIRED']);
    await session.updateToken(await mint('alice', 7200));
    await session.connect();
    expect(state()).toMatchObject({ status: 'connected', lastConnect: 'resumed' });
  });

  it('logout closes the instance: no socket and no RWS timer survive', async () => {
    const { rws, session, state } = await setup();
    await session.login(await mint());
    const started = Date.now();
    await session.logout();
    expect(Date.now() - started).toBeLessThan(1000); // the server's answer came back through RWS
    expect(state().status).toBe('idle');
    await until(() => rws.readyState === WebSocket.CLOSED, 2000, 'closed');
  });
});
