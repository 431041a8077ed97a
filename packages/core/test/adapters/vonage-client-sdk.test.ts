/**
 * The real @vonage/client-sdk@2.3.1 against the local platform stand-in, through the real engine.
 * Its retry loop is hard-coded (5 attempts, jittered ≤ 5 s each) and cannot be shortened, so the
 * "platform down" case takes about 25 s of real SDK time.
 */
import { VonageClient } from '@vonage/client-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../../test-support/until.js';
import { ANSWER_TIMEOUT_MS, vonageAnswerLogger, vonageClientTransport } from '../../src/adapters/vonage-client-sdk.js';
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

/**
 * `answers`: 'installed' is the documented set-up (the answer logger in the client's customLoggers
 * and given to the adapter); 'none' is an app that skipped it; 'not-in-client' gives the adapter a
 * logger the client never got.
 */
async function setup({ answers = 'installed' }: { answers?: 'installed' | 'none' | 'not-in-client' } = {}) {
  const platform: Platform = await startPlatform();
  cleanups.push(() => platform.stop());
  const logger = answers === 'none' ? undefined : vonageAnswerLogger();
  const config: ConstructorParameters<typeof VonageClient>[0] = {
    disableInternalLogger: true, // the SDK logs every reconnect step to the console otherwise
    websocketUrl: platform.url,
    apiUrl: platform.url,
    rtcStatsTelemetry: false,
    customLoggers: answers === 'installed' && logger ? [logger] : [],
  };
  const client = new VonageClient(config);
  const session: Session = createSession({
    transport: vonageClientTransport(client, { answers: logger }),
    network: manualNetwork(true),
  });
  cleanups.push(() => session.destroy());
  const trace = traceEvents(session);
  return { platform, session, trace, state: () => session.getState() };
}

/** One handshake by the SDK's own loop (a createSession would carry SDK_name), asking for the old id. */
function expectOwnLoopRetry(handshakes: Record<string, unknown>[]) {
  expect(handshakes).toHaveLength(1);
  expect(handshakes[0]).toMatchObject({ session_id: 'SESSION-1' });
  expect(handshakes[0]).not.toHaveProperty('SDK_name');
}

// The SDK's own retry delays reach 5 s: the default 5 s test timeout is too short for it.
describe('vonageClientTransport over the real @vonage/client-sdk 2.3.1', { timeout: 30_000 }, () => {
  it('login → connected with the platform session id; the answer logger saw the answer', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    // The pin on the SDK's log line: were it gone, the adapter would warn here.
    expect(trace).toEqual([]);
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

  it('platform restarts without the session inside the first retry wait → the SDK loop gets a new id → session:lost on the new id', async () => {
    const { session, state, platform, trace } = await setup();
    const lost: unknown[] = [];
    session.on('session:lost', (info) => lost.push(info));
    await session.login(token());
    const handshakesBefore = platform.handshakes.length;
    await platform.restart({ forgetSessions: true });
    await until(() => trace.includes('reconnect'), 15_000, 'the SDK reconnects');
    await until(() => state().status === 'connected', 5000, 'the platform answer');
    expectOwnLoopRetry(platform.handshakes.slice(handshakesBefore));
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:lost']);
    expect(lost).toEqual([{ previousSessionId: 'SESSION-1', sessionId: 'SESSION-2' }]);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-2', lastConnect: 'new' });
    // The SDK agrees (its refreshSession goes to the new id), and its next reconnect asks for the
    // new id, so a later blip resumes it instead of losing it again.
    await until(() => platform.restCalls.some((c) => c.startsWith('PUT ')), 5000, 'the re-pointing PUT');
    expect(platform.restCalls.filter((c) => c.startsWith('PUT '))).toEqual(['PUT /v0.2/sessions/SESSION-2']);
    trace.length = 0;
    platform.blip();
    await until(() => trace.includes('reconnect') && state().status === 'connected', 15_000, 'the second reconnect');
    expect(platform.handshakes.at(-1)).toMatchObject({ session_id: 'SESSION-2' });
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
    expect(state()).toMatchObject({ sessionId: 'SESSION-2', lastConnect: 'resumed' });
  });

  it('platform restarts keeping the session → the SDK loop resumes it → session:resumed', async () => {
    const { session, state, platform, trace } = await setup();
    await session.login(token());
    const handshakesBefore = platform.handshakes.length;
    await platform.restart();
    await until(() => trace.includes('reconnect'), 15_000, 'the SDK reconnects');
    await until(() => state().status === 'connected', 5000, 'the platform answer');
    expectOwnLoopRetry(platform.handshakes.slice(handshakesBefore));
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'resumed' });
  });

  it('without the answer logger: the SDK loop reconnect is reported with resumed unknown, never as resumed', async () => {
    const { session, state, platform, trace } = await setup({ answers: 'none' });
    await session.login(token());
    await platform.restart({ forgetSessions: true });
    await until(() => trace.includes('reconnect'), 15_000, 'the SDK reconnects');
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect']);
    expect(state()).toMatchObject({ status: 'connected', lastConnect: null });
    // Nothing later claims a resume either.
    await until(() => platform.sessions.has('SESSION-2'), 5000, 'the new platform session');
    expect(trace).not.toContain('session:resumed');
  });

  it('an answer logger the client never got: a warning at login, then reconnects with resumed unknown', async () => {
    const { session, state, platform, trace } = await setup({ answers: 'not-in-client' });
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    await session.login(token());
    expect(trace).toEqual(['error:error:client:transport']);
    expect(errors).toEqual([expect.objectContaining({ details: { reason: 'no_answer_logger' } })]);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: 'new' });
    trace.length = 0;
    platform.blip();
    await until(() => trace.includes('reconnect'), 15_000, 'the SDK reconnects');
    expect(trace).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect']);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'SESSION-1', lastConnect: null });
  });

  it('a platform that takes the reconnect but never answers: after the answer timeout, connected with resumed unknown and a warning', async () => {
    const { session, state, platform, trace } = await setup();
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    await session.login(token());
    platform.silent = true;
    platform.blip();
    await until(() => platform.handshakes.length === 2, 15_000, 'the SDK reconnects');
    const reconnectedAt = Date.now();
    expect(state().status).toBe('reconnecting'); // the socket is back, the answer is not
    await until(() => state().status === 'connected', ANSWER_TIMEOUT_MS + 3000, 'the answer timeout');
    expect(Date.now() - reconnectedAt).toBeGreaterThanOrEqual(ANSWER_TIMEOUT_MS - 100);
    expect(trace).toEqual([
      'disconnect:CONNECTION_FAILED',
      'reconnecting:1',
      'error:error:client:transport',
      'reconnect',
    ]);
    expect(errors).toEqual([expect.objectContaining({ details: { reason: 'no_answer' } })]);
    expect(state()).toMatchObject({ sessionId: 'SESSION-1', lastConnect: null });
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
