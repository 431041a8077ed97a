import { afterEach, describe, expect, it } from 'vitest';
import { failedOutageTrace } from '../../../test-support/trace.js';
import { InMemoryRegistry } from '../src/registry.js';
import type { SessionServer } from '../src/server.js';
import { client, startServer, token, until } from './helpers.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function server(options: Parameters<typeof startServer>[0] = {}) {
  const started = await startServer(options);
  cleanups.push(() => started.server.close());
  return started;
}

function track<T extends { session: { destroy(): void } }>(c: T): T {
  cleanups.push(() => c.session.destroy());
  return c;
}

describe('engine + WebSocket transport + reference server over real sockets', () => {
  it('login → connected with the server session id and user', async () => {
    const { server: srv } = await server();
    const c = track(client(srv.url));
    await c.session.login(await token('alice'));
    expect(c.session.getState()).toMatchObject({ status: 'connected', userId: 'alice', lastConnect: 'new' });
    expect(c.session.getState().sessionId).toMatch(/^ses-/);
    expect(srv.stats()).toMatchObject({ sessions: 1, connections: 1 });
  });

  it('server killed → reconnecting 1..5 → reconnection_failed; back + connect() in the window resumes and replays missed events once, in order', async () => {
    const registry = new InMemoryRegistry();
    const first = await startServer({ registry });
    const port = first.server.port;
    const c = track(client(first.server.url));
    await c.session.login(await token('alice'));
    const sessionId = c.session.getState().sessionId as string;
    first.server.publish(sessionId, 'before-1');
    first.server.publish(sessionId, 'before-2');
    await until(() => c.session.getState().lastSeq === 2, 2000, 'first events');

    await first.server.close();
    await until(() => c.session.getState().status === 'disconnected', 5000, 'reconnection_failed');
    expect(c.trace()).toEqual(failedOutageTrace);
    const gaps = c.events.filter((e) => e.name === 'reconnecting').map((e) => e.at);
    // 50, 100, 200, 400 ms between attempts (loopback refusals are immediate; allow timer slack)
    const diffs = gaps.slice(1).map((t, i) => t - (gaps[i] as number));
    diffs.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(50 * 2 ** (i + 1) - 5);
      expect(d).toBeLessThan(50 * 2 ** (i + 1) + 150);
    });

    const second = await startServer({ registry, port });
    cleanups.push(() => second.server.close());
    second.server.publish(sessionId, 'missed-3');
    second.server.publish(sessionId, 'missed-4');
    await c.session.connect();
    await until(() => c.session.getState().lastSeq === 4, 2000, 'replay');
    expect(c.session.getState()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
    expect(c.events.filter((e) => e.name === 'message').map((e) => (e.arg as { body: string }).body)).toEqual([
      'before-1',
      'before-2',
      'missed-3',
      'missed-4',
    ]);
    expect(c.trace().slice(-2)).toEqual(['reconnect', 'session:resumed']);
  });

  it('back after the window → a new session and session:lost', async () => {
    const registry = new InMemoryRegistry();
    const first = await startServer({ registry, resumeWindowMs: 300 });
    const c = track(client(first.server.url, { reconnect: { maxRetries: 1, initialDelayMs: 20 } }));
    await c.session.login(await token('alice'));
    const sessionId = c.session.getState().sessionId;
    const port = first.server.port;
    await first.server.close();
    await until(() => c.session.getState().status === 'disconnected', 3000, 'failure');
    const second = await startServer({ registry, port, resumeWindowMs: 300 });
    cleanups.push(() => second.server.close());
    await until(() => registry.size === 0, 3000, 'the window to pass');
    await c.session.connect();
    expect(c.session.getState().sessionId).not.toBe(sessionId);
    expect(c.session.getState().lastConnect).toBe('new');
    const lost = c.events.find((e) => e.name === 'session:lost');
    expect(lost?.arg).toEqual({ previousSessionId: sessionId, sessionId: c.session.getState().sessionId });
  });

  it('token reaching exp while connected → TOKEN_EXPIRED (4001), no automatic attempts; updateToken + connect() → same session', async () => {
    const { server: srv } = await server();
    const c = track(client(srv.url, { tokenExpiringMs: 0 }));
    await c.session.login(await token('alice', 1));
    const sessionId = c.session.getState().sessionId;
    await until(() => c.session.getState().status === 'disconnected', 4000, 'TOKEN_EXPIRED');
    expect(c.session.getState()).toMatchObject({ disconnectReason: 'TOKEN_EXPIRED', tokenStatus: 'expired' });
    await new Promise((r) => setTimeout(r, 400)); // the schedule would have made attempts by now
    expect(c.trace()).toEqual(['disconnect:TOKEN_EXPIRED']);
    expect(c.urls).toHaveLength(1);

    await c.session.updateToken(await token('alice'));
    await c.session.connect();
    expect(c.session.getState()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
  });

  it('proactive refresh travels over the live socket: no reconnect', async () => {
    const { server: srv } = await server();
    let fetched = 0;
    const c = track(
      client(srv.url, {
        tokenRefreshLeadMs: 60_000,
        fetchToken: async () => {
          fetched++;
          return token('alice', 3600);
        },
      }),
    );
    await c.session.login(await token('alice', 2));
    const before = c.session.getState();
    await until(() => fetched === 1 && c.session.getState().tokenExpiresAt !== before.tokenExpiresAt, 3000, 'refresh');
    await new Promise((r) => setTimeout(r, 1500)); // past the first token's exp
    expect(c.session.getState()).toMatchObject({ status: 'connected', sessionId: before.sessionId });
    expect(c.trace()).toEqual(['token:refreshed']);
    expect(c.urls).toHaveLength(1);
    expect(c.session.getState().tokenExpiresAt as number).toBeGreaterThan(Date.now() + 3_000_000);
  });

  it('a half-open connection is detected within heartbeat interval + timeout and recovered', async () => {
    const { server: srv } = await server();
    const c = track(client(srv.url, {}, { heartbeat: { intervalMs: 200, timeoutMs: 200 } }));
    await c.session.login(await token('alice'));
    const sessionId = c.session.getState().sessionId;
    const frozenAt = Date.now();
    srv.faults.freeze(600);
    await until(() => c.session.getState().status !== 'connected', 2000, 'detection');
    expect(Date.now() - frozenAt).toBeLessThanOrEqual(200 + 200 + 100);
    await until(() => c.session.getState().status === 'connected', 5000, 'recovery');
    expect(c.session.getState()).toMatchObject({ sessionId, lastConnect: 'resumed' });
  });

  it("createSession's heartbeat option reaches the WebSocket transport", async () => {
    const { server: srv } = await server();
    const c = track(client(srv.url, { heartbeat: { intervalMs: 150, timeoutMs: 150 } }));
    await c.session.login(await token('alice'));
    const frozenAt = Date.now();
    srv.faults.freeze(500);
    await until(() => c.session.getState().status !== 'connected', 2000, 'detection');
    expect(Date.now() - frozenAt).toBeLessThanOrEqual(150 + 150 + 100);
  });

  it('messages sent during an outage are delivered once after the resume', async () => {
    const { server: srv } = await server();
    const a = track(client(srv.url));
    const b = track(client(srv.url));
    await a.session.login(await token('alice'));
    await b.session.login(await token('bob'));
    srv.faults.drop('alice');
    await until(() => a.session.getState().status === 'reconnecting', 2000, 'drop');
    const sends = ['m1', 'm2', 'm3'].map((t) => a.session.send(t));
    await Promise.all(sends);
    const bodies = () => b.events.filter((e) => e.name === 'message').map((e) => (e.arg as { body: string }).body);
    await until(() => bodies().length === 3, 2000, 'delivery');
    expect(bodies()).toEqual(['m1', 'm2', 'm3']);
  });

  it('logout ends the session on the server', async () => {
    const { server: srv } = await server();
    const c = track(client(srv.url));
    await c.session.login(await token('alice'));
    await c.session.logout();
    expect(c.session.getState().status).toBe('idle');
    await until(() => srv.stats().sessions === 0 && srv.stats().connections === 0, 2000, 'server cleanup');
  });

  it('no token appears in any URL or log line', async () => {
    const { server: srv, logs } = await server();
    const urls: string[] = [];
    const c = track(client(srv.url, {}, {}, urls));
    const t = await token('alice', 1);
    await c.session.login(t);
    await until(() => c.session.getState().status === 'disconnected', 4000, 'expiry');
    const fresh = await token('alice');
    await c.session.updateToken(fresh);
    await c.session.connect();
    await c.session.logout();
    const everything = JSON.stringify(logs) + urls.join(' ');
    expect(logs.length).toBeGreaterThan(2);
    for (const secretPart of [t, fresh, t.split('.')[2], fresh.split('.')[2]])
      expect(everything).not.toContain(secretPart);
  });

  it('refuses a URL that carries a token', async () => {
    const { webSocketTransport } = await import('@nexmo-session/core');
    expect(() => webSocketTransport('ws://127.0.0.1:1/ws?token=abc')).toThrow(/never go in URLs/);
    expect(() => webSocketTransport('http://127.0.0.1:1/ws')).toThrow(/ws:\/\//);
  });
});

export type { SessionServer };
