/**
 * The real @vonage/client-sdk@2.3.1 against the local platform stand-in, through the real engine.
 * Its retry loop is hard-coded (5 attempts, jittered ≤ 5 s each) and cannot be shortened, so the
 * "platform down" case takes about 25 s of real SDK time.
 */
import { VonageClient } from '@vonage/client-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../../test-support/until.js';
import { vonageClientTransport } from '../../src/adapters/vonage-client-sdk.js';
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

async function setup() {
  const platform: Platform = await startPlatform();
  cleanups.push(() => platform.stop());
  const client = new VonageClient({
    disableInternalLogger: true, // the SDK logs every reconnect step to the console otherwise
    websocketUrl: platform.url,
    apiUrl: platform.url,
    rtcStatsTelemetry: false,
  } as never);
  const session: Session = createSession({
    transport: vonageClientTransport(client),
    network: manualNetwork(true),
  });
  cleanups.push(() => session.destroy());
  const trace = traceEvents(session);
  return { platform, session, trace, state: () => session.getState() };
}

// The SDK's own retry delays reach 5 s: the default 5 s test timeout is too short for it.
describe('vonageClientTransport over the real @vonage/client-sdk 2.3.1', { timeout: 30_000 }, () => {
  it('login → connected with the platform session id', async () => {
    const { session, state, platform } = await setup();
    await session.login(token());
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'new' });
    expect(platform.handshakes[0]).toMatchObject({ SDK_name: '@vonage/client-sdk' });
  });

  it('network blip → reconnecting → connected, same session', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    platform.blip();
    await until(() => trace.includes('session:resumed'), 10_000, 'resume');
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1' });
    expect(platform.handshakes.at(-1)).toMatchObject({ session_id: 'SESSION-1' });
  });

  it('platform down → reconnection failure → connect() → resumed; a later server disconnect after the platform forgot → lost', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    await platform.stop();
    await until(() => state().status === 'disconnected', 45_000, 'reconnection failure');
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'error:error:client:reconnection_failed']);
    await platform.start();
    await session.connect();
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'resumed' });
    expect(platform.handshakes.at(-1)).toMatchObject({ session_id: 'SESSION-1' });

    platform.sessions.clear(); // the session's TTL passed on the platform
    trace.length = 0;
    platform.serverDisconnect(); // the SDK reports sessionError EXPIRED_TOKEN; the token is still valid
    await until(() => trace.includes('session:lost'), 10_000, 'session:lost');
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-2', lastConnect: 'new' });
  }, 60_000);

  it('server-side token expiry → TOKEN_EXPIRED → updateToken + connect() → resumed', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token(2));
    await new Promise((r) => setTimeout(r, 2100));
    platform.expireTokens();
    await until(() => state().status === 'disconnected', 5000, 'TOKEN_EXPIRED');
    expect(trace).toEqual(['disconnect:TOKEN_EXPIRED']);
    await session.updateToken(token());
    await session.connect();
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'resumed' });
  });

  it('refreshes the token over the live session with refreshSession', async () => {
    const { session, state } = await setup();
    await session.login(token(600));
    const fresh = token(7200);
    await session.updateToken(fresh);
    expect(state().tokenExpiresAt as number).toBeGreaterThan(Date.now() + 7_000_000);
    expect(state().status).toBe('connected');
  });
});
