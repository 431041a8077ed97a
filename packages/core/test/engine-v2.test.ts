/**
 * Issue 13's cases, one behaviour each, on the shipped WebSocket connector over the simulated
 * server's fake sockets and fake timers. Each of these failed on the first engine.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSession } from '../src/session.js';
import { makeTestToken } from '../src/testing/test-token.js';
import { webSocketTransport } from '../src/transport/websocket/websocket-transport.js';
import { loggedIn, setup, T0, tokenFor } from './harness.js';

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const swallow = () => {};

describe('stuck states', () => {
  it('offline for 34 s spends no attempt; online starts one at once and the session resumes', async () => {
    const { sim, network, advance, state, trace } = await loggedIn();
    sim.drop();
    network.set(false);
    sim.serverDown();
    await advance(34_000);
    expect(state()).toMatchObject({ status: 'reconnecting', retryCount: 0, nextRetryAt: null, network: 'offline' });
    expect(state().notice).toMatchObject({ kind: 'offline' });
    expect(sim.attempts.filter((a) => a.kind === 'auto')).toHaveLength(0);
    sim.serverUp();
    network.set(true);
    await advance(0);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-1', lastConnect: 'resumed' });
    expect(trace()).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
  });

  it('online after a failed cycle reconnects inside the resume window (whenOnline defaults to connect)', async () => {
    const { sim, network, advance, state } = await loggedIn();
    sim.serverDown();
    await advance(40_000);
    expect(state().error?.type).toBe('error:client:reconnection_failed');
    network.set(false);
    sim.serverUp();
    network.set(true);
    await advance(0);
    expect(state()).toMatchObject({ status: 'connected', lastConnect: 'resumed' });
  });

  it('a fetchToken() that never settles counts as failed after fetchTokenTimeoutMs and is retried', async () => {
    let calls = 0;
    const fetchToken = vi.fn(() => {
      calls += 1;
      return calls === 1 ? new Promise<string>(() => {}) : Promise.resolve(tokenFor(7200));
    });
    const { sim, advance, state } = await loggedIn({ fetchToken });
    sim.expireToken();
    await advance(14_999);
    expect(state()).toMatchObject({ status: 'disconnected', tokenStatus: 'refreshing' });
    await advance(1);
    expect(state().error).toMatchObject({ type: 'error:client:fetch_token_failed' });
    expect(state().error?.message).toContain('15000 ms');
    await advance(1000); // the first retry, on the backoff schedule
    expect(fetchToken).toHaveBeenCalledTimes(2);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-1', error: null });
  });

  it('logout() not awaited, then login(): the old logout never touches the new connection', async () => {
    const { session, sim, advance, state } = await loggedIn();
    sim.blackhole(); // the logout request will get no answer: its tail waits for the request timeout
    const loggingOut = session.logout();
    const loggingIn = session.login(tokenFor());
    await advance(0);
    await loggingIn;
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-2' });
    await advance(10_000);
    await loggingOut;
    expect(state().status).toBe('connected');
    expect(sim.isConnected).toBe(true);
    await expect(Promise.all([session.send('still here'), advance(0)])).resolves.toBeDefined();
    expect(sim.received.map((m) => m.body)).toEqual(['still here']);
  });

  it('a message sent into a stall is acknowledged when the stall ends: probed at ackTimeoutMs, not abandoned', async () => {
    const { session, sim, advance, state } = await loggedIn();
    sim.stall(15_000);
    let acked = false;
    session.send('during the stall').then(() => {
      acked = true;
    });
    await advance(14_999);
    expect(acked).toBe(false);
    expect(state().status).toBe('connected'); // 10 s ack timeout → probe, 10 s probe deadline not reached
    await advance(1);
    expect(acked).toBe(true);
    expect(state().status).toBe('connected');
  });

  it('a message on a dead socket: the ack timeout probes, the probe times out, the message is resent after the resume', async () => {
    const { session, sim, advance, state, trace } = await loggedIn({ heartbeat: false });
    sim.blackhole();
    const sent = session.send('on a dead socket');
    await advance(19_999);
    expect(state().status).toBe('connected');
    await advance(1); // 10 s ack timeout + 10 s probe deadline
    expect(trace()[0]).toBe('disconnect:CONNECTION_FAILED');
    await advance(1000);
    await sent;
    expect(state()).toMatchObject({ status: 'connected', lastConnect: 'resumed' });
    expect(sim.received.map((m) => m.body)).toEqual(['on a dead socket']);
  });
});

describe('races and identity', () => {
  it('logout() while login() awaits fetchToken: login rejects with logged_out, no unhandled rejection', async () => {
    let release!: (t: string) => void;
    const { session, advance, state, sim } = setup({ fetchToken: () => new Promise<string>((r) => (release = r)) });
    const login = session.login();
    const outcome = login.catch((e: { type: string }) => e.type);
    await advance(0);
    await session.logout();
    release(tokenFor());
    await advance(0);
    expect(await outcome).toBe('error:client:logged_out');
    expect(state().status).toBe('idle');
    expect(sim.attempts).toHaveLength(0);
  });

  it('destroy() while login() awaits fetchToken: login rejects with destroyed, nothing left behind', async () => {
    let release!: (t: string) => void;
    const { session, advance, sim } = setup({ fetchToken: () => new Promise<string>((r) => (release = r)) });
    const outcome = session.login().catch((e: { type: string }) => e.type);
    await advance(0);
    session.destroy();
    release(tokenFor());
    await advance(0);
    expect(await outcome).toBe('error:client:destroyed');
    expect(session.debug.pendingTimers()).toBe(0);
    expect(sim.attempts).toHaveLength(0);
  });

  it('a superseded login for alice that completes after bob logged in does not replace bob', async () => {
    const resolvers: ((t: string) => void)[] = [];
    const { session, advance, state } = setup({ fetchToken: () => new Promise<string>((r) => resolvers.push(r)) });
    const alice = session.login().catch(swallow);
    await advance(0);
    await session.logout();
    const bob = session.login(tokenFor(3600, 'bob'));
    await advance(0);
    await bob;
    resolvers[0]?.(tokenFor(3600, 'alice'));
    await advance(1000);
    await alice;
    expect(state()).toMatchObject({ status: 'connected', userId: 'bob' });
  });

  it('a token for another user is refused by updateToken() and never sent', async () => {
    const { session, sim, advance, state } = await loggedIn();
    await expect(session.updateToken(tokenFor(3600, 'mallory'))).rejects.toMatchObject({
      type: 'error:client:token_invalid',
    });
    sim.drop();
    await advance(1000);
    expect(state()).toMatchObject({ status: 'connected', userId: 'alice', lastConnect: 'resumed' });
  });

  it('a token the server refused in updateToken() is not used at the next reconnect', async () => {
    const { session, sim, advance, state } = await loggedIn();
    sim.rejectLogins(true); // the server refuses the update…
    const update = session.updateToken(tokenFor(7200)).catch((e) => e);
    await advance(0);
    expect(await update).toMatchObject({ type: 'error:client:token_invalid' });
    sim.rejectLogins(false); // …and would accept the old token again
    sim.drop();
    await advance(1000);
    expect(state()).toMatchObject({ status: 'connected', sessionId: 'sim-session-1', lastConnect: 'resumed' });
  });
});

describe('timers', () => {
  it('a 30-day token does not expire at once (no setTimeout overflow), with or without fetchToken', async () => {
    const thirtyDays = 30 * 86_400;
    const fetchToken = vi.fn(async () => tokenFor(thirtyDays + 60));
    const { advance, state, log } = await loggedIn({ token: tokenFor(thirtyDays), fetchToken, heartbeat: false });
    await advance(6000);
    expect(fetchToken).not.toHaveBeenCalled();
    expect(state()).toMatchObject({ status: 'connected', tokenStatus: 'valid' });
    expect(log.filter((e) => e.name === 'disconnect')).toHaveLength(0);
    // …and the refresh still comes, at exp − 60 s (a chained wait, never early).
    await advance(thirtyDays * 1000 - 60_000 - 6000 - 1);
    expect(fetchToken).not.toHaveBeenCalled();
    await advance(1);
    expect(fetchToken).toHaveBeenCalledTimes(1);
  });

  it('a device clock far ahead of the issuer does not spin fetchToken while the server is unreachable', async () => {
    // The issuer's tokens are two hours "old" by this device's clock: each looks expired on arrival.
    const issued = () =>
      makeTestToken({
        sub: 'alice',
        iat: Math.floor(Date.now() / 1000) - 7200,
        exp: Math.floor(Date.now() / 1000) - 3600,
      });
    const fetchToken = vi.fn(async () => issued());
    const { session, sim, advance } = setup({ fetchToken });
    sim.serverDown();
    session.login().catch(swallow);
    await advance(5000);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    await advance(60_000);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    session.destroy();
  });

  it('destroy() during a backoff leaves no timer behind', async () => {
    const { session, sim, advance } = await loggedIn();
    sim.serverDown();
    await advance(1500); // waiting for attempt 2
    expect(session.debug.pendingTimers()).toBeGreaterThan(0);
    session.destroy();
    expect(session.debug.pendingTimers()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('order and flow', () => {
  it('messages sent from a reconnect listener or a store subscriber queue behind those sent during the outage', async () => {
    const { session, sim, advance } = await loggedIn();
    sim.serverDown();
    const sends = ['outage 1', 'outage 2', 'outage 3'].map((b) => session.send(b));
    let once = true;
    session.on('reconnect', () => sends.push(session.send('from reconnect')));
    session.store.subscribe((s, prev) => {
      if (once && s.status === 'connected' && prev.status !== 'connected') {
        once = false;
        sends.push(session.send('from subscriber'));
      }
    });
    sim.serverUp();
    await advance(1000);
    await Promise.all(sends);
    expect(sim.received.map((m) => m.body)).toEqual([
      'outage 1',
      'outage 2',
      'outage 3',
      'from subscriber',
      'from reconnect',
    ]);
  });

  it('a burst of 300 sends at the defaults is paced under the announced limits: all acknowledged, no nack, no cut', async () => {
    const { session, sim, advance, state, trace } = await loggedIn(
      {},
      { limits: { burst: 200, messagesPerSecond: 100 } },
    );
    const sends = Array.from({ length: 300 }, (_, i) => session.send(i));
    await advance(999);
    expect(sim.received).toHaveLength(299); // 200 at once, then 100 per second
    await advance(10);
    await Promise.all(sends);
    expect(sim.received.map((m) => m.body)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(state()).toMatchObject({ status: 'connected', outboxSize: 0 });
    expect(trace().filter((t) => t !== 'message')).toEqual([]); // the echoes only: no error, no disconnect
  });

  it('at most outbox.maxInFlight messages are unacknowledged at once', async () => {
    const { session, sim, advance } = setup({ outbox: { maxInFlight: 4 } }, { latencyMs: 100 });
    const login = session.login(tokenFor());
    await advance(100);
    await login;
    const sends = Array.from({ length: 10 }, (_, i) => session.send(i));
    const onTheWire = () => session.debug.outbox().filter((m) => m.sentAt !== null).length;
    expect(onTheWire()).toBe(4);
    await advance(0);
    expect(sim.received).toHaveLength(4); // the acks take the 100 ms round trip
    await advance(100);
    expect([sim.received.length, onTheWire()]).toEqual([8, 4]);
    await advance(100);
    expect([sim.received.length, onTheWire()]).toEqual([10, 2]);
    await advance(100);
    await Promise.all(sends);
    expect(sim.received.map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('a rate_limited nack delays its message by retryAfterMs, never drops it, and order holds', async () => {
    // A server stricter than it announced: the client's pacing lets too much through, the nacks catch it.
    const { session, sim, advance, state } = await loggedIn({}, { enforcedLimits: { burst: 3, messagesPerSecond: 2 } });
    const sends = Array.from({ length: 8 }, (_, i) => session.send(i));
    await advance(0);
    expect(sim.received.map((m) => m.body)).toEqual([0, 1, 2]); // 3 to 7 were nacked, in order
    expect(session.debug.outbox().every((m) => m.sentAt === null)).toBe(true); // all waiting again
    await advance(500); // retryAfterMs: one token refilled
    expect(sim.received.map((m) => m.body)).toEqual([0, 1, 2, 3]);
    await advance(5000);
    await Promise.all(sends);
    expect(sim.received.map((m) => m.body)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(state().status).toBe('connected');
  });
});

describe('errors: a typed error in the store with its real cause, and login() rejects with it', () => {
  it('a malformed token: login() rejects with token_invalid and the store says so', async () => {
    const { session, state } = setup();
    await expect(session.login('not-a-jwt')).rejects.toMatchObject({ type: 'error:client:token_invalid' });
    expect(state()).toMatchObject({ status: 'idle', error: { type: 'error:client:token_invalid' } });
  });

  it('no token and no fetchToken: invalid_state in the store', async () => {
    const { session, state } = setup();
    await expect(session.login()).rejects.toMatchObject({ type: 'error:client:invalid_state' });
    expect(state().error?.message).toContain('fetchToken');
  });

  it('a throwing fetchToken is reported as fetch_token_failed with its cause, not as a refused token', async () => {
    const cause = new Error('auth server said 500');
    const { session, advance, state } = setup({
      fetchToken: () => {
        throw cause;
      },
      reconnect: { maxRetries: 0 },
    });
    const err = await Promise.all([session.login().catch((e) => e), advance(0)]).then(([e]) => e);
    expect(err).toMatchObject({ type: 'error:client:fetch_token_failed', cause });
    expect(state().error).toMatchObject({ type: 'error:client:fetch_token_failed', cause });
  });

  it('without a WebSocket constructor login() says so at once, spending no attempt', async () => {
    const session = createSession({ transport: webSocketTransport('ws://127.0.0.1:9/ws') });
    const err = await session.login(tokenFor()).catch((e) => e);
    expect(err).toMatchObject({ type: 'error:client:websocket_unavailable' });
    expect(err.message).toContain('ws');
    expect(session.getState()).toMatchObject({
      status: 'disconnected',
      retryCount: 0,
      error: { type: 'error:client:websocket_unavailable' },
    });
    session.destroy();
  });

  it('every failed attempt leaves the reason in the store while reconnecting, and the last one is the cause', async () => {
    const { sim, advance, state } = await loggedIn();
    sim.serverDown();
    await advance(1000);
    expect(state()).toMatchObject({ status: 'reconnecting', error: { type: 'error:client:unreachable' } });
    expect(state().error?.message).toContain('connection refused');
    await advance(40_000);
    expect(state().error).toMatchObject({ type: 'error:client:reconnection_failed' });
    expect(state().error?.cause).toMatchObject({ type: 'error:client:unreachable' });
  });

  it('events the server could no longer replay are reported as events_missed with the range', async () => {
    const { session, sim, advance, state, trace } = await loggedIn({}, { replayLimit: 3 });
    const seen: number[] = [];
    session.on('message', (e) => seen.push(e.seq));
    sim.drop();
    for (let i = 1; i <= 5; i++) sim.push(i);
    await advance(1000);
    expect(seen).toEqual([3, 4, 5]);
    expect(trace()).toContain('error:error:client:events_missed');
    expect(state().error).toMatchObject({ type: 'error:client:events_missed', details: { fromSeq: 1, toSeq: 2 } });
  });
});

describe('debug views for devtools', () => {
  it('debug.token() gives the token’s life: issued, refresh due (exp − lead), expiry', async () => {
    const { session } = await loggedIn({ token: tokenFor(3600), fetchToken: async () => tokenFor(7200) });
    expect(session.debug.token()).toEqual({ issuedAt: T0, refreshAt: T0 + 3_540_000, expiresAt: T0 + 3_600_000 });
  });

  it('debug.outbox() lists what waits and what is on the wire, oldest first', async () => {
    const { session, sim } = await loggedIn();
    sim.serverDown();
    session.send('a').catch(swallow);
    session.send('b').catch(swallow);
    expect(session.debug.outbox().map((m) => [m.body, m.sentAt])).toEqual([
      ['a', null],
      ['b', null],
    ]);
  });
});
