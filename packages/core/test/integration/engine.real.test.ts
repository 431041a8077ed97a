/**
 * Issue 13's cases against the real server, real sockets and real time, at the default options
 * (schedule, outbox, limits, timeouts). One group per bullet of the issue.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SessionServer } from '@nexmo-session/server';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../../../test-support/until.js';
import { startFaultProxy } from '../../../server/test/reliability/fault-proxy.js';
import type { Session } from '../../src/session.js';
import { client, mint, startServer } from './real-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function serve(): Promise<SessionServer> {
  const server = await startServer();
  cleanups.push(() => server.close());
  return server;
}

function track<T extends { session: Session }>(c: T): T {
  cleanups.push(() => c.session.destroy());
  return c;
}

describe('stuck states (real server)', { timeout: 30_000 }, () => {
  it('offline: no attempt is spent while the browser says offline; online reconnects at once', async () => {
    const server = await serve();
    const c = track(client(server.url));
    await c.session.login(await mint());
    c.network.set(false);
    server.faults.drop();
    await until(() => c.state().status === 'reconnecting', 2000, 'loss seen');
    await new Promise((r) => setTimeout(r, 3500)); // attempts 1 and 2 would have run by now
    expect(c.state()).toMatchObject({ status: 'reconnecting', retryCount: 0, nextRetryAt: null });
    const before = Date.now();
    c.network.set(true);
    await until(() => c.state().status === 'connected', 2000, 'reconnected');
    expect(Date.now() - before).toBeLessThan(500);
    expect(c.state().lastConnect).toBe('resumed');
    expect(c.events).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
  });

  it('a message sent while the server is frozen (TCP stalls) is acknowledged after the freeze, at the default ack timeout', async () => {
    const server = await serve();
    const c = track(client(server.url));
    await c.session.login(await mint());
    server.faults.freeze(12_000);
    const started = Date.now();
    await c.session.send('during the freeze');
    expect(Date.now() - started).toBeGreaterThanOrEqual(11_500);
    // The probe at 10 s was answered when the freeze ended, before its 10 s deadline: no reconnect.
    expect(c.state()).toMatchObject({ status: 'connected', lastConnect: 'new' });
    expect(c.events).toEqual([]);
  });
});

describe('stuck states (real server, through a fault proxy)', { timeout: 40_000 }, () => {
  it('a message whose bytes vanished on a socket that looks open is probed, found dead and resent', async () => {
    const server = await serve();
    const proxy = await startFaultProxy(server.port);
    cleanups.push(() => proxy.close());
    const c = track(client(`ws://127.0.0.1:${proxy.port}/ws`));
    const bystander = track(client(server.url));
    await c.session.login(await mint('alice'));
    await bystander.session.login(await mint('bob'));
    const seen: unknown[] = [];
    bystander.session.on('message', (e) => seen.push(e.body));
    proxy.blackhole(true); // the network drops everything for 15 s; the socket stays open
    setTimeout(() => proxy.blackhole(false), 15_000);
    const started = Date.now();
    await c.session.send('into the void');
    // 10 s ack timeout → a ping that vanishes too → 10 s probe deadline → reconnect and resend.
    expect(Date.now() - started).toBeGreaterThanOrEqual(19_000);
    expect(c.events).toEqual(['disconnect:CONNECTION_FAILED', 'reconnecting:1', 'reconnect', 'session:resumed']);
    await until(() => seen.includes('into the void'), 3000, 'delivered');
  });
});

describe('races and identity (real server)', { timeout: 20_000 }, () => {
  it('a token the server refused in updateToken() is never used again: the next reconnect resumes with the old one', async () => {
    const server = await serve();
    const c = track(client(server.url));
    await c.session.login(await mint());
    const forged = await mint('alice', 7200, 'not-the-server-secret-0123456789');
    await expect(c.session.updateToken(forged)).rejects.toMatchObject({ type: 'error:client:token_invalid' });
    const { sessionId } = c.state();
    server.faults.drop();
    await until(() => c.events.includes('session:resumed'), 5000, 'resume');
    expect(c.state()).toMatchObject({ status: 'connected', sessionId, userId: 'alice' });
  });

  it('logout() not awaited during a freeze, then login(): the new connection survives the old logout', async () => {
    const server = await serve();
    const c = track(client(server.url));
    await c.session.login(await mint());
    server.faults.freeze(3000); // the logout request gets no answer until the freeze ends
    const loggingOut = c.session.logout();
    const login = c.session.login(await mint('alice'));
    await login;
    await loggingOut;
    await new Promise((r) => setTimeout(r, 500));
    expect(c.state().status).toBe('connected');
    await expect(c.session.send('after')).resolves.toBeUndefined();
  });
});

describe('timers (real server)', { timeout: 20_000 }, () => {
  it('a Node process that destroys its session during a backoff exits at once', async () => {
    const server = await serve();
    const script = fileURLToPath(new URL('./destroy-in-backoff.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, server.url, await mint()], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('connected')) server.faults.pause(10_000); // down for 10 s: the client backs off
    });
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    const code = await exited;
    const destroyedAt = Number(/destroyed at (\d+)/.exec(out)?.[1]);
    const exitedAt = Date.now();
    expect(code).toBe(0);
    expect(out).toContain('reconnecting');
    expect(exitedAt - destroyedAt).toBeLessThan(1000);
  });
});

describe('order and flow (real server, default limits)', { timeout: 20_000 }, () => {
  it('300 sends in a row on a live connection: all acknowledged, in order, no disconnect', async () => {
    const server = await serve();
    const c = track(client(server.url));
    const bystander = track(client(server.url));
    await c.session.login(await mint('alice'));
    await bystander.session.login(await mint('bob'));
    const seen: unknown[] = [];
    bystander.session.on('message', (e) => seen.push(e.body));
    const bodies = Array.from({ length: 300 }, (_, i) => ({ n: i }));
    await Promise.all(bodies.map((b) => c.session.send(b)));
    await until(() => seen.length >= 300, 5000, 'bystander receives all');
    expect(seen).toEqual(bodies);
    expect(c.events).toEqual([]);
    expect(c.state().status).toBe('connected');
  });

  it('messages sent from a reconnect listener go after those queued during the outage', async () => {
    const server = await serve();
    const c = track(client(server.url));
    const bystander = track(client(server.url));
    await c.session.login(await mint('alice'));
    await bystander.session.login(await mint('bob'));
    const seen: unknown[] = [];
    bystander.session.on('message', (e) => seen.push(e.body));
    c.network.set(false); // hold the attempts until we have queued
    server.faults.drop();
    await until(() => c.state().status === 'reconnecting', 2000, 'loss');
    const sends = [1, 2, 3].map((n) => c.session.send(`queued ${n}`));
    c.session.on('reconnect', () => sends.push(c.session.send('from the listener')));
    c.network.set(true);
    await Promise.all(sends);
    await until(() => seen.length >= 4, 3000, 'all delivered');
    expect(seen).toEqual(['queued 1', 'queued 2', 'queued 3', 'from the listener']);
  });
});

describe('errors (real server)', { timeout: 20_000 }, () => {
  it('a wrong URL path is reported with its reason while reconnecting, not just "reconnecting"', async () => {
    const server = await serve();
    const c = track(client(server.url.replace('/ws', '/wrong')));
    c.session.login(await mint()).catch(() => {});
    await until(() => c.state().error !== null, 3000, 'first failure');
    expect(c.state()).toMatchObject({ status: 'reconnecting', error: { type: 'error:client:unreachable' } });
    expect(c.state().error?.message).toContain('/wrong');
    expect(c.state().error?.message).toContain('404');
  });

  it('a token signed with another key: login() rejects with login_failed and the server’s reason is in the store', async () => {
    const server = await serve();
    const c = track(client(server.url));
    const err = await c.session.login(await mint('alice', 3600, 'some-other-secret-0123456789')).catch((e) => e);
    expect(err).toMatchObject({ type: 'error:client:login_failed' });
    expect(c.state()).toMatchObject({ status: 'disconnected', error: { type: 'error:client:login_failed' } });
    expect(c.state().error?.message).toMatch(/refused the token: .+/);
  });
});
