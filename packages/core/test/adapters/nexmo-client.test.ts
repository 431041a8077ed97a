/**
 * The real nexmo-client@9.5.1 against the local platform stand-in, through the real engine.
 * socket.io delays are shortened through the SDK's own `socket_io` option (randomization off),
 * so the documented cycle runs in about 3 s.
 */
import NexmoClient from 'nexmo-client';
import { afterEach, describe, expect, it } from 'vitest';
import { failedOutageTrace } from '../../../../test-support/trace.js';
import { until } from '../../../../test-support/until.js';
import { nexmoClientTransport } from '../../src/adapters/nexmo-client.js';
import { manualNetwork } from '../../src/network.js';
import type { Session } from '../../src/session.js';
import { createSession } from '../../src/session.js';
import { makeTestToken } from '../../src/testing/test-token.js';
import type { Platform } from './platform.js';
import { startPlatform } from './platform.js';
import { traceEvents } from './trace.js';

const token = (ttlSeconds = 3600) => makeTestToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + ttlSeconds });
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(platformOptions: Parameters<typeof startPlatform>[0] = {}) {
  const platform: Platform = await startPlatform(platformOptions);
  cleanups.push(() => platform.stop());
  const client = new NexmoClient({
    url: platform.url,
    nexmo_api_url: platform.url,
    debug: 'silent',
    socket_io: { reconnectionDelay: 100, reconnectionDelayMax: 800, randomizationFactor: 0 },
  });
  const session: Session = createSession({ transport: nexmoClientTransport(client), network: manualNetwork(true) });
  cleanups.push(() => session.destroy());
  const trace = traceEvents(session);
  return { platform, client, session, trace, state: () => session.getState() };
}

describe('nexmoClientTransport over the real nexmo-client 9.5.1', { timeout: 20_000 }, () => {
  it('login → connected with the platform session id', async () => {
    const { session, state, platform } = await setup();
    await session.login(token());
    expect(state()).toMatchObject({
      status: 'connected',
      sessionId: 'SESSION-1',
      userId: 'USR-alice',
      lastConnect: 'new',
    });
    expect(platform.handshakes[0]).toMatchObject({ SDK_version: '9.5.1' });
    await expect(session.send('x')).rejects.toMatchObject({ type: 'error:client:invalid_state' });
  });

  it('network blip → reconnecting → connected, same session', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    platform.blip();
    await until(() => trace.includes('session:resumed'), 5000, 'resume');
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'resumed' });
    expect(platform.handshakes[1]).toMatchObject({ session_id: 'SESSION-1' });
  });

  it('platform down → reconnecting 1..5 with exact nextRetryAt → reconnection_failed → connect() → resumed', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    const nextRetryAts: number[] = [];
    session.store.subscribe((s, prev) => {
      if (s.nextRetryAt !== null && s.nextRetryAt !== prev.nextRetryAt && s.retryCount < 5)
        nextRetryAts.push(s.nextRetryAt);
    });
    await platform.stop();
    await until(() => state().status === 'disconnected', 10_000, 'reconnection_failed');
    expect(trace).toEqual(failedOutageTrace);
    expect(nextRetryAts.length).toBeGreaterThanOrEqual(5); // from socket.io's own backoff
    await platform.start();
    trace.length = 0;
    await session.connect();
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'resumed' });
    expect(trace).toEqual(['reconnect', 'session:resumed']);
  });

  it('platform back after the session TTL → a new id → session:lost', async () => {
    const { session, state, platform, trace } = await setup({ sessionTtlMs: 200 });
    await session.login(token());
    await platform.stop();
    await until(() => state().status === 'disconnected', 10_000, 'reconnection_failed');
    await new Promise((r) => setTimeout(r, 250));
    await platform.start();
    await session.connect();
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-2', lastConnect: 'new' });
    expect(trace.slice(-2)).toEqual(['reconnect', 'session:lost']);
  });

  it('platform restarts without the session while the SDK retries → its own loop gets a new id → session:lost, never resumed', async () => {
    const { session, state, platform, trace } = await setup();
    const lost: unknown[] = [];
    session.on('session:lost', (info) => lost.push(info));
    await session.login(token());
    await platform.restart({ forgetSessions: true });
    await until(() => state().status === 'connected' && trace.includes('reconnect'), 5000, 'the answer');
    expect(platform.handshakes.at(-1)).toMatchObject({ session_id: 'SESSION-1' }); // the SDK asked for the old id
    expect(trace.slice(-2)).toEqual(['reconnect', 'session:lost']);
    expect(trace).not.toContain('session:resumed');
    expect(lost).toEqual([{ previousSessionId: 'SESSION-1', sessionId: 'SESSION-2' }]);
    expect(state()).toMatchObject({ sessionId: 'SESSION-2', lastConnect: 'new' });
  });

  it('platform restarts keeping the session → its own loop resumes it → session:resumed', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    await platform.restart();
    await until(() => state().status === 'connected' && trace.includes('reconnect'), 5000, 'the answer');
    expect(trace.slice(-2)).toEqual(['reconnect', 'session:resumed']);
    expect(state()).toMatchObject({ sessionId: 'SESSION-1', lastConnect: 'resumed' });
  });

  it('server-side token expiry → TOKEN_EXPIRED, no retries → updateToken + connect() → resumed', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token(2));
    await new Promise((r) => setTimeout(r, 2100)); // the token is now past exp
    platform.expireTokens();
    await until(() => state().status === 'disconnected', 3000, 'TOKEN_EXPIRED');
    await new Promise((r) => setTimeout(r, 500));
    expect(trace).toEqual(['disconnect:TOKEN_EXPIRED']);
    expect(state().disconnectReason).toBe('TOKEN_EXPIRED');
    await session.updateToken(token());
    await session.connect();
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'resumed' });
    expect(platform.handshakes.at(-1)).toMatchObject({ session_id: 'SESSION-1' });
  });

  it('a TokenExpired after a server disconnect with a still-valid token is a lost connection, and recovers', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    platform.serverDisconnect(); // nexmo-client reports this as 'TokenExpired'
    await until(() => trace.includes('session:resumed'), 5000, 'resume');
    expect(trace[0]).toBe('disconnect:CONNECTION_FAILED');
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1' });
  });

  it('logout deletes the session on the platform', async () => {
    const { session, state, platform } = await setup();
    await session.login(token());
    await session.logout();
    expect(state().status).toBe('idle');
    await until(() => platform.sessions.size === 0, 2000, 'platform delete');
  });
});
