import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failedOutageTrace } from '../../../test-support/trace.js';
import { SessionError } from '../src/errors.js';
import { makeTestToken } from '../src/testing/test-token.js';
import { loggedIn, setup, T0, tokenFor } from './harness.js';

// Fake time starts before any token is minted, so `exp` is relative to T0.
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('login', () => {
  it('goes connecting → connected with the server session id', async () => {
    const { session, advance, state, log } = setup();
    const done = session.login(tokenFor());
    expect(state().status).toBe('connecting');
    await advance(0);
    await done;
    expect(state()).toMatchObject({
      status: 'connected',
      sessionId: 'sim-session-1',
      userId: 'alice',
      lastConnect: 'new',
    });
    expect(log.filter((e) => e.name === 'status').map((e) => e.args[0])).toEqual(['connecting', 'connected']);
  });

  it('a rejected token ends disconnected with login_failed and no retries', async () => {
    const { session, sim, advance, state, trace } = setup();
    sim.rejectLogins();
    const done = session.login(tokenFor());
    const failure = done.catch((e: SessionError) => e);
    await advance(60_000);
    expect(await failure).toMatchObject({ type: 'error:client:login_failed' });
    expect(state()).toMatchObject({ status: 'disconnected', error: { type: 'error:client:login_failed' } });
    expect(sim.attempts).toHaveLength(1);
    expect(trace()).toEqual(['error:error:client:login_failed']);
  });

  it('rejects a malformed token before touching state', async () => {
    const { session, state, sim } = setup();
    await expect(session.login('not-a-jwt')).rejects.toMatchObject({ type: 'error:client:token_invalid' });
    expect(state().status).toBe('idle');
    expect(sim.attempts).toHaveLength(0);
  });

  it('fetches the token when none is given and fetchToken is set', async () => {
    const fetchToken = vi.fn(async () => tokenFor());
    const { session, advance, state } = setup({ fetchToken });
    const done = session.login();
    await advance(0);
    await done;
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(state().status).toBe('connected');
  });

  it('a failing fetchToken at login is retried on the schedule, then ends in fetch_token_failed with its cause', async () => {
    const fetchToken = vi.fn(() => Promise.reject(new Error('auth server down')));
    const { session, advance, state } = setup({ fetchToken });
    const done = session.login().catch((e: SessionError) => e);
    await advance(0);
    expect(state()).toMatchObject({ status: 'connecting', tokenStatus: 'none' });
    expect(state().error).toMatchObject({ type: 'error:client:fetch_token_failed' });
    await advance(31_000);
    const err = await done;
    expect(err).toMatchObject({ type: 'error:client:fetch_token_failed', cause: new Error('auth server down') });
    expect(fetchToken).toHaveBeenCalledTimes(6);
    expect(state()).toMatchObject({ status: 'disconnected', error: { type: 'error:client:fetch_token_failed' } });
  });
});

describe('connection loss and automatic reconnection', () => {
  it('attempts start exactly 1, 2, 4, 8, 16 s apart after the loss, then reconnection_failed', async () => {
    const { sim, advance, trace, log, state } = await loggedIn();
    sim.serverDown();
    expect(state()).toMatchObject({
      status: 'reconnecting',
      disconnectReason: 'CONNECTION_FAILED',
      retryCount: 0,
      nextRetryAt: T0 + 1000,
      connectionLostAt: T0,
      sessionExpiresAt: T0 + 300_000,
    });
    await advance(60_000);
    expect(trace()).toEqual(failedOutageTrace);
    const at = log.filter((e) => e.name === 'reconnecting').map((e) => e.at);
    expect(at).toEqual([1000, 3000, 7000, 15000, 31000]);
    expect(sim.attempts.filter((a) => a.kind === 'auto').map((a) => a.at - T0)).toEqual(at);
    expect(state()).toMatchObject({ status: 'disconnected', nextRetryAt: null, retryCount: 5 });
    expect(state().error?.type).toBe('error:client:reconnection_failed');
    // and it stops: no further attempts however long we wait
    await advance(600_000);
    expect(sim.attempts.filter((a) => a.kind === 'auto')).toHaveLength(5);
  });

  it('nextRetryAt tracks the upcoming attempt exactly', async () => {
    const { sim, advance, state } = await loggedIn();
    sim.serverDown();
    await advance(1000); // attempt 1 starts and is refused at once
    expect(state()).toMatchObject({ retryCount: 1, nextRetryAt: T0 + 3000 });
    await advance(2000);
    expect(state()).toMatchObject({ retryCount: 2, nextRetryAt: T0 + 7000 });
  });

  it('a successful attempt emits reconnect and session:resumed with the same session id', async () => {
    const { sim, advance, trace, state } = await loggedIn();
    sim.refuseAttempts(2);
    sim.drop();
    await advance(7000);
    expect(trace()).toEqual([
      'disconnect:CONNECTION_FAILED',
      'reconnecting:1',
      'reconnecting:2',
      'reconnecting:3',
      'reconnect',
      'session:resumed',
    ]);
    expect(state()).toMatchObject({
      status: 'connected',
      sessionId: 'sim-session-1',
      lastConnect: 'resumed',
      retryCount: 0,
      nextRetryAt: null,
      connectionLostAt: null,
      sessionExpiresAt: null,
    });
  });

  it('honours a custom schedule and maxRetries', async () => {
    const { sim, advance, log } = await loggedIn({ reconnect: { maxRetries: 3, initialDelayMs: 200, factor: 3 } });
    sim.serverDown();
    await advance(10_000);
    expect(log.filter((e) => e.name === 'reconnecting').map((e) => e.at)).toEqual([200, 800, 2600]);
    expect(log.filter((e) => e.name !== 'status').at(-1)?.name).toBe('error');
  });

  it('jitter shortens each delay by at most the fraction, from the random seam', async () => {
    const { sim, advance, log } = await loggedIn({ reconnect: { jitter: 0.5 }, random: () => 0.5 });
    sim.serverDown();
    await advance(60_000);
    // each delay × 0.75: 750, 1500, 3000, 6000, 12000
    expect(log.filter((e) => e.name === 'reconnecting').map((e) => e.at)).toEqual([750, 2250, 5250, 11250, 23250]);
  });

  it('retryNow() starts the pending attempt at once', async () => {
    const { sim, session, advance, log, state } = await loggedIn();
    sim.drop();
    await advance(100);
    session.retryNow();
    expect(log.filter((e) => e.name === 'reconnecting').map((e) => e.at)).toEqual([100]);
    await advance(0);
    expect(state().status).toBe('connected');
  });
});

describe('manual connect() after failure', () => {
  async function failed() {
    const h = await loggedIn();
    h.sim.serverDown();
    await h.advance(31_000);
    expect(h.state().status).toBe('disconnected');
    h.log.length = 0;
    return h;
  }

  it('inside the resume window resumes the same session', async () => {
    const { sim, session, advance, trace, state } = await failed();
    sim.serverUp();
    await advance(60_000);
    const done = session.connect();
    expect(state().status).toBe('connecting');
    await advance(0);
    await done;
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-1', lastConnect: 'resumed' });
    expect(trace()).toEqual(['reconnect', 'session:resumed']);
  });

  it('after the window the server starts a new session and the engine emits session:lost', async () => {
    const { sim, session, advance, log, state } = await failed();
    sim.serverUp();
    await advance(300_000);
    const done = session.connect();
    await advance(0);
    await done;
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-2', lastConnect: 'new', lastSeq: 0 });
    expect(log.find((e) => e.name === 'session:lost')?.args[0]).toEqual({
      previousSessionId: 'sim-session-1',
      sessionId: 'sim-session-2',
    });
  });

  it('while the server is still down runs a fresh cycle of five attempts', async () => {
    const { session, advance, trace } = await failed();
    const done = session.connect().catch((e: SessionError) => e.type);
    await advance(60_000);
    expect(await done).toBe('error:client:reconnection_failed');
    expect(trace()).toEqual(failedOutageTrace.slice(1));
  });

  it('keeps the window anchored at the first loss across cycles', async () => {
    const { session, advance, state } = await failed();
    session.connect().catch(() => {});
    await advance(1);
    expect(state()).toMatchObject({ connectionLostAt: T0, sessionExpiresAt: T0 + 300_000 });
  });
});

describe('token expiry', () => {
  it('TOKEN_EXPIRED without fetchToken: disconnected with zero automatic attempts', async () => {
    const { sim, advance, trace, state } = await loggedIn();
    sim.expireToken();
    await advance(120_000);
    expect(trace()).toEqual(['disconnect:TOKEN_EXPIRED']);
    expect(state()).toMatchObject({
      status: 'disconnected',
      disconnectReason: 'TOKEN_EXPIRED',
      tokenStatus: 'expired',
      connectionLostAt: T0,
      sessionExpiresAt: T0 + 300_000,
    });
    expect(sim.attempts).toHaveLength(1);
  });

  it('updateToken + connect() resumes the same session', async () => {
    const { sim, session, advance, state } = await loggedIn();
    sim.expireToken();
    await advance(30_000);
    await session.updateToken(tokenFor());
    const done = session.connect();
    await advance(0);
    await done;
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-1', tokenStatus: 'valid' });
  });

  it('connect() with the dead token and no fetchToken rejects with token_expired', async () => {
    const { session, advance } = await loggedIn({ token: tokenFor(10) });
    await advance(10_000);
    await expect(session.connect()).rejects.toMatchObject({ type: 'error:client:token_expired' });
  });

  it('the token reaching exp while connected: the server says TOKEN_EXPIRED at that moment', async () => {
    const { advance, log } = await loggedIn({ token: tokenFor(600) });
    await advance(600_000);
    expect(log.find((e) => e.name === 'disconnect')).toMatchObject({ at: 600_000, args: ['TOKEN_EXPIRED'] });
  });

  it('with fetchToken, TOKEN_EXPIRED recovers automatically into the same session', async () => {
    const fetchToken = vi.fn(async () => tokenFor(7200));
    const { sim, advance, trace, state } = await loggedIn({ fetchToken });
    sim.expireToken();
    await advance(0);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-1' });
    expect(trace()).toEqual(['disconnect:TOKEN_EXPIRED', 'token:refreshed', 'reconnect', 'session:resumed']);
  });

  it('an automatic attempt with a locally expired token goes the TOKEN_EXPIRED way instead of burning attempts', async () => {
    const { sim, advance, trace, state } = await loggedIn({ token: tokenFor(5), tokenExpiringMs: 0 });
    sim.serverDown();
    await advance(5000); // attempt 1 at 1 s, attempt 2 at 3 s, token dies at 5 s
    expect(trace()).toEqual([
      'disconnect:CONNECTION_FAILED',
      'reconnecting:1',
      'reconnecting:2',
      'disconnect:TOKEN_EXPIRED',
    ]);
    expect(state()).toMatchObject({ status: 'disconnected', disconnectReason: 'TOKEN_EXPIRED', nextRetryAt: null });
    await advance(60_000);
    expect(sim.attempts.filter((a) => a.kind === 'auto')).toHaveLength(2);
  });

  it('marks the token expiring inside tokenExpiringMs and emits token:expiring once', async () => {
    const { advance, log, state } = await loggedIn({ token: tokenFor(600) });
    await advance(479_999);
    expect(state().tokenStatus).toBe('valid');
    await advance(1);
    expect(state().tokenStatus).toBe('expiring');
    expect(log.filter((e) => e.name === 'token:expiring')).toHaveLength(1);
  });
});

describe('proactive refresh', () => {
  it('fires once at exp − lead and updates over the live connection, without reconnecting', async () => {
    const fetchToken = vi.fn(async () => tokenFor(3600));
    const { sim, advance, trace, state } = await loggedIn({ token: tokenFor(600), fetchToken });
    await advance(539_999);
    expect(fetchToken).not.toHaveBeenCalled();
    await advance(1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(trace()).toEqual(['token:expiring', 'token:refreshed']);
    expect(state()).toMatchObject({
      status: 'connected',
      tokenStatus: 'valid',
      tokenExpiresAt: T0 + 540_000 + 3_600_000,
    });
    expect(sim.attempts).toHaveLength(1);
    await advance(120_000); // old exp passes: nothing happens
    expect(state().status).toBe('connected');
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('concurrent refreshes share one fetch', async () => {
    let release!: (t: string) => void;
    const fetchToken = vi.fn(() => new Promise<string>((r) => (release = r)));
    const { session, advance, state } = await loggedIn({ token: tokenFor(3600), fetchToken });
    const a = session.refreshToken();
    const b = session.refreshToken();
    expect(state().tokenStatus).toBe('refreshing');
    release(tokenFor(7200));
    await advance(0);
    await Promise.all([a, b]);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(state().tokenStatus).toBe('valid');
  });

  it('a failed refresh reports fetch_token_failed with its cause and keeps the session', async () => {
    const { session, advance, state, trace } = await loggedIn({
      token: tokenFor(3600),
      fetchToken: () => Promise.reject(new Error('auth server down')),
    });
    const err = await session.refreshToken().catch((e: SessionError) => e);
    await advance(0);
    expect(err).toMatchObject({ type: 'error:client:fetch_token_failed', cause: new Error('auth server down') });
    expect(state()).toMatchObject({ status: 'connected', tokenStatus: 'valid' });
    expect(state().error).toMatchObject({ type: 'error:client:fetch_token_failed' });
    expect(trace()).toEqual(['error:error:client:fetch_token_failed']);
  });

  it('clamps the lead to half the lifetime of a short token', async () => {
    const fetchToken = vi.fn(async () => tokenFor(60));
    await loggedIn({ token: tokenFor(60), fetchToken, tokenRefreshLeadMs: 60_000 });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(fetchToken).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });
});

describe('logout and destroy', () => {
  it('logout: idle, disconnect(CLIENT_DISCONNECTED), nothing pending', async () => {
    const { session, sim, trace, state } = await loggedIn({ token: tokenFor(600), fetchToken: async () => tokenFor() });
    sim.drop();
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await session.logout();
    expect(trace()).toEqual(['disconnect:CONNECTION_FAILED', 'disconnect:CLIENT_DISCONNECTED']);
    expect(state()).toMatchObject({ status: 'idle', sessionId: null, tokenStatus: 'none', nextRetryAt: null });
    expect(vi.getTimerCount()).toBe(0);
    expect(session.debug.pendingTimers()).toBe(0);
    expect(sim.isConnected).toBe(false);
  });

  it('destroy leaves no timer, closes the transport and rejects pending sends', async () => {
    const { session, sim } = await loggedIn({ token: tokenFor(600) });
    sim.drop();
    const pending = session.send({ text: 'hi' }).catch((e: SessionError) => e.type);
    session.destroy();
    expect(await pending).toBe('error:client:destroyed');
    expect(vi.getTimerCount()).toBe(0);
    expect(sim.pendingTimers).toBe(0);
    expect(session.debug.listenerCount()).toBe(0);
    await expect(session.send('x')).rejects.toMatchObject({ type: 'error:client:destroyed' });
    await expect(session.login(tokenFor())).rejects.toMatchObject({ type: 'error:client:destroyed' });
  });

  it('can log in again after logout with a new session', async () => {
    const { session, advance, state } = await loggedIn();
    await session.logout();
    const done = session.login(tokenFor());
    await advance(0);
    await done;
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-2' });
  });
});

describe('wrong-state calls reject with typed errors', () => {
  it('connect() before any token', async () => {
    const { session } = setup();
    await expect(session.connect()).rejects.toMatchObject({ type: 'error:client:invalid_state', message: /login/ });
  });

  it('login() twice', async () => {
    const { session } = await loggedIn();
    await expect(session.login(tokenFor())).rejects.toMatchObject({ type: 'error:client:invalid_state' });
  });

  it('send() before login, updateToken() before login, refreshToken() without fetchToken', async () => {
    const { session } = setup();
    await expect(session.send('x')).rejects.toBeInstanceOf(SessionError);
    await expect(session.updateToken(tokenFor())).rejects.toMatchObject({ type: 'error:client:invalid_state' });
    await expect(session.refreshToken()).rejects.toMatchObject({ type: 'error:client:invalid_state' });
  });

  it('updateToken() with garbage keeps the old token', async () => {
    const { session, state } = await loggedIn();
    const before = state().tokenExpiresAt;
    await expect(session.updateToken('garbage')).rejects.toMatchObject({ type: 'error:client:token_invalid' });
    expect(state().tokenExpiresAt).toBe(before);
  });
});

describe('outbox and messages', () => {
  it('send() while connected resolves on the server ack', async () => {
    const { session, sim, advance, state } = await loggedIn();
    const done = session.send({ text: 'hello' });
    expect(state().outboxSize).toBe(1);
    await advance(0);
    await done;
    expect(state().outboxSize).toBe(0);
    expect(sim.received.map((m) => m.body)).toEqual([{ text: 'hello' }]);
  });

  it('messages sent while reconnecting wait and are delivered once, in order, after the resume', async () => {
    const { session, sim, advance, state } = await loggedIn();
    sim.drop();
    const sends = ['a', 'b', 'c'].map((t) => session.send(t));
    expect(state().outboxSize).toBe(3);
    await advance(1000);
    await Promise.all(sends);
    expect(sim.received.map((m) => m.body)).toEqual(['a', 'b', 'c']);
    expect(state().outboxSize).toBe(0);
  });

  it('overflow rejects the new send with outbox_full and keeps what was accepted', async () => {
    const { session, sim, advance } = await loggedIn({ outbox: { max: 2 } });
    sim.drop();
    const a = session.send('a');
    const b = session.send('b');
    await expect(session.send('c')).rejects.toMatchObject({ type: 'error:client:outbox_full', message: /outbox\.max/ });
    await advance(1000);
    await Promise.all([a, b]);
    expect(sim.received.map((m) => m.body)).toEqual(['a', 'b']);
  });

  it('rejects bodies that cannot be sent', async () => {
    const { session } = await loggedIn();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(session.send(circular)).rejects.toMatchObject({ type: 'error:client:invalid_message' });
    await expect(session.send(undefined)).rejects.toMatchObject({ type: 'error:client:invalid_message' });
    await expect(session.send('x'.repeat(70_000))).rejects.toMatchObject({ type: 'error:client:message_too_big' });
  });

  it('server events arrive exactly once and in order, replays after a resume included', async () => {
    const { session, sim, advance } = await loggedIn();
    const seen: number[] = [];
    session.on('message', (e) => seen.push(e.seq));
    sim.push('one');
    sim.drop();
    sim.push('two'); // while disconnected: replayed on resume
    sim.push('three');
    await advance(1000);
    sim.push('four');
    await advance(0);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(session.getState().lastSeq).toBe(4);
  });
});

describe('network', () => {
  it("whenOnline 'retry': an online event starts the next attempt now", async () => {
    const { sim, network, advance, log, state } = await loggedIn();
    sim.drop();
    network.set(false);
    expect(state().network).toBe('offline');
    await advance(300);
    network.set(true);
    await advance(0);
    expect(log.filter((e) => e.name === 'reconnecting').map((e) => e.at)).toEqual([300]);
    expect(state().status).toBe('connected');
  });

  it("whenOnline 'connect' also reconnects after reconnection_failed", async () => {
    const { sim, network, advance, state } = await loggedIn({ whenOnline: 'connect' });
    sim.serverDown();
    await advance(31_000);
    expect(state().status).toBe('disconnected');
    sim.serverUp();
    network.set(false);
    network.set(true);
    await advance(0);
    expect(state()).toMatchObject({ status: 'connected', lastConnect: 'resumed' });
  });

  it("whenOnline 'ignore' waits for the schedule", async () => {
    const { sim, network, advance, log } = await loggedIn({ whenOnline: 'ignore' });
    sim.drop();
    network.set(false);
    network.set(true);
    await advance(1000);
    expect(log.filter((e) => e.name === 'reconnecting').map((e) => e.at)).toEqual([1000]);
  });
});

describe('events and listeners', () => {
  it('a throwing listener does not stop the engine or other listeners', async () => {
    const { session, sim, advance, state } = await loggedIn();
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.on('uncaughtException', onError);
    const other = vi.fn();
    session.on('disconnect', () => {
      throw new Error('app bug');
    });
    session.on('disconnect', other);
    sim.drop();
    await advance(1000);
    process.off('uncaughtException', onError);
    expect(other).toHaveBeenCalledOnce();
    expect(state().status).toBe('connected');
  });

  it('on() returns an unsubscribe function', async () => {
    const { session, sim, advance } = await loggedIn();
    const fn = vi.fn();
    const off = session.on('reconnecting', fn);
    off();
    sim.drop();
    await advance(1000);
    expect(fn).not.toHaveBeenCalled();
  });

  it('token expiry is corrected by the server clock offset', async () => {
    const token = makeTestToken({ exp: Math.floor(T0 / 1000) + 3600 });
    const { state } = await loggedIn({ token });
    expect(state().tokenExpiresAt).toBe(T0 + 3_600_000);
  });
});

describe('event order', () => {
  it('documented events come before the derived status event of the same step', async () => {
    const { sim, advance, log } = await loggedIn();
    sim.serverDown();
    await advance(60_000);
    const names = log.map((e) => (e.name === 'status' ? `status:${e.args[0]}` : e.name));
    expect(names.slice(0, 2)).toEqual(['disconnect', 'status:reconnecting']);
    expect(names.slice(-2)).toEqual(['error', 'status:disconnected']);
  });
});
