import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionServer } from '../src/server.js';
import { client, key, mint, rawClient, startServer, token, until } from './helpers.js';

let srv: SessionServer;
let healthy: ReturnType<typeof client>;
let healthySessionId: string;

beforeAll(async () => {
  // Default limits, except a short login timeout so the 4408 case does not take 5 s.
  ({ server: srv } = await startServer({ loginTimeoutMs: 300 }));
  healthy = client(srv.url);
  await healthy.session.login(await token('bystander'));
  healthySessionId = healthy.session.getState().sessionId as string;
});

afterAll(async () => {
  // Every hostile connection above left the bystander alone: same session, still talking.
  expect(healthy.session.getState()).toMatchObject({ status: 'connected', sessionId: healthySessionId });
  await healthy.session.send('still here');
  expect(healthy.trace()).toEqual([]);
  healthy.session.destroy();
  await srv.close();
});

async function loggedInRaw(sub = 'mallory') {
  const c = rawClient(srv.url);
  await c.opened;
  c.send({ type: 'session:login', token: await token(sub) });
  await until(() => c.frames.some((f) => f.type === 'session:success'), 2000, 'login');
  return c;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('hostile input gets its documented code and touches no other session', () => {
  it('non-JSON → session:error + 4400', async () => {
    const c = rawClient(srv.url);
    await c.opened;
    c.send('this is not json');
    expect((await c.waitClose()).code).toBe(4400);
    expect(c.frames[0]).toMatchObject({ type: 'session:error', code: 4400 });
  });

  it('unknown frame type after login → 4400', async () => {
    const c = await loggedInRaw();
    c.send({ type: 'launch:missiles' });
    expect((await c.waitClose()).code).toBe(4400);
  });

  it('frames before login → 4400', async () => {
    const c = rawClient(srv.url);
    await c.opened;
    c.send({ type: 'message', mid: 'm1', body: 'hi' });
    expect((await c.waitClose()).code).toBe(4400);
  });

  it('a 1 MiB frame → 1009', async () => {
    const c = await loggedInRaw();
    c.send({ type: 'message', mid: 'big', body: 'x'.repeat(1024 * 1024) });
    expect((await c.waitClose()).code).toBe(1009);
  });

  it('no login within the limit → 4408', async () => {
    const c = rawClient(srv.url);
    await c.opened;
    expect((await c.waitClose()).code).toBe(4408);
  });

  it.each([
    [
      'alg: none',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'eve', exp: Math.floor(Date.now() / 1000) + 60 })}.`,
      4401,
    ],
    [
      'a wrong key',
      async () =>
        new SignJWT({ sub: 'eve' })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('some-other-secret-0123456789')),
      4401,
    ],
    ['an expired token', async () => mint({ sub: 'eve', ttlSeconds: -60 }), 4001],
    ['nbf in the future', async () => mint({ sub: 'eve', nbf: Math.floor(Date.now() / 1000) + 60 }), 4401],
    ['no sub', async () => mint({}), 4401],
    ['garbage', async () => 'not.a.jwt', 4401],
    [
      'RS256 signed with a key we do not trust',
      async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return new SignJWT({ sub: 'eve' })
          .setProtectedHeader({ alg: 'RS256' })
          .setExpirationTime('1h')
          .sign(privateKey);
      },
      4401,
    ],
  ])('login with %s', async (_, make, code) => {
    const bad = await make(); // before connecting: RSA key generation can outlast the login limit
    const c = rawClient(srv.url);
    await c.opened;
    c.send({ type: 'session:login', token: bad });
    expect((await c.waitClose()).code).toBe(code);
    expect(c.frames.some((f) => f.type === 'session:success')).toBe(false);
  });

  it("another user's sessionId is answered exactly like an unknown one", async () => {
    const c = rawClient(srv.url);
    await c.opened;
    c.send({ type: 'session:login', token: await token('mallory'), sessionId: healthySessionId, lastSeq: 0 });
    await until(() => c.frames.length > 0, 2000, 'answer');
    const unknown = rawClient(srv.url);
    await unknown.opened;
    unknown.send({ type: 'session:login', token: await token('mallory'), sessionId: 'ses-does-not-exist' });
    await until(() => unknown.frames.length > 0, 2000, 'answer');
    const shape = (f: Record<string, unknown>) => ({
      ...f,
      sessionId: typeof f.sessionId,
      serverTime: typeof f.serverTime,
      tokenExpiresAt: typeof f.tokenExpiresAt,
    });
    expect(c.frames[0]).toMatchObject({ type: 'session:success', resumed: false, userId: 'mallory' });
    expect(c.frames[0]?.sessionId).not.toBe(healthySessionId);
    expect(shape(c.frames[0] as Record<string, unknown>)).toEqual(shape(unknown.frames[0] as Record<string, unknown>));
    c.ws.close();
    unknown.ws.close();
  });

  it('a frame flood far beyond the limits → session:error with retryAfterMs, then 4429', async () => {
    const c = await loggedInRaw();
    // Past floodFactor × burst (10 × 200) in one go; pings are never nacked, only a flood is cut.
    for (let i = 0; i < 3000 && c.closed() === null; i++) c.send({ type: 'ping', t: i });
    expect((await c.waitClose()).code).toBe(4429);
    const error = c.frames.find((f) => f.type === 'session:error');
    expect(error).toMatchObject({ code: 4429, retryAfterMs: 2000 });
    // The session is not resumable before retryAfterMs: a flooder cannot come straight back.
    const again = rawClient(srv.url);
    await again.opened;
    const success = c.frames.find((f) => f.type === 'session:success') as { sessionId: string };
    again.send({ type: 'session:login', token: await token('mallory'), sessionId: success.sessionId });
    expect((await again.waitClose()).code).toBe(4429);
    expect(again.frames[0]).toMatchObject({ type: 'session:error', code: 4429 });
    expect((again.frames[0] as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(1000);
  });

  it('1,000 pings in a row (half the flood threshold) are all answered', async () => {
    const c = await loggedInRaw();
    for (let i = 0; i < 1000; i++) c.send({ type: 'ping', t: i });
    await until(() => c.frames.filter((f) => f.type === 'pong').length === 1000, 5000, 'pongs');
    expect(c.closed()).toBeNull();
    c.ws.close();
  });

  it('malformed fields (mid too long, negative ack) → 4400', async () => {
    const c = await loggedInRaw();
    c.send({ type: 'message', mid: 'x'.repeat(500), body: 1 });
    expect((await c.waitClose()).code).toBe(4400);
    const d = await loggedInRaw();
    d.send({ type: 'ack', seq: -1 });
    expect((await d.waitClose()).code).toBe(4400);
  });

  it('update_token with another user’s token is refused without ending the session', async () => {
    const c = await loggedInRaw('mallory');
    c.send({ type: 'session:update_token', rid: 'r1', token: await token('bystander') });
    await until(() => c.frames.some((f) => f.rid === 'r1'), 2000, 'answer');
    expect(c.frames.find((f) => f.rid === 'r1')).toMatchObject({ type: 'session:error', code: 4401 });
    expect(c.closed()).toBeNull();
    c.ws.close();
  });

  it('failed logins are limited per address (default: 20 at once), with the wait in session:error', async () => {
    const { server: own } = await startServer();
    const codes: number[] = [];
    let last: ReturnType<typeof rawClient> | undefined;
    for (let i = 0; i < 22; i++) {
      last = rawClient(own.url);
      await last.opened;
      last.send({ type: 'session:login', token: 'bad' });
      codes.push((await last.waitClose()).code);
    }
    await own.close();
    expect(codes).toEqual([...Array(20).fill(4401), 4429, 4429]);
    const refusal = last?.frames[0] as { type: string; code: number; retryAfterMs: number };
    expect(refusal).toMatchObject({ type: 'session:error', code: 4429 });
    expect(refusal.retryAfterMs).toBeGreaterThan(0);
  });

  it('new sessions are limited per user (default: 10 at once); resumes by the owner are not limited', async () => {
    const { server: own } = await startServer();
    const login = async (sub: string, sessionId?: string) => {
      const c = rawClient(own.url);
      await c.opened;
      c.send({ type: 'session:login', token: await token(sub), ...(sessionId ? { sessionId, lastSeq: 0 } : {}) });
      await until(() => c.frames.length > 0 || c.closed() !== null, 3000, 'answer');
      c.ws.close();
      return c.frames[0] as { type: string; code?: number; sessionId?: string; resumed?: boolean };
    };
    const fresh: Awaited<ReturnType<typeof login>>[] = [];
    for (let i = 0; i < 11; i++) fresh.push(await login('carol'));
    expect(fresh.slice(0, 10).every((f) => f.type === 'session:success')).toBe(true);
    expect(fresh[10]).toMatchObject({ type: 'session:error', code: 4429 });
    // Another user behind the same address is not affected.
    expect(await login('dave')).toMatchObject({ type: 'session:success' });
    // carol resumes one of her sessions 50 times in a row: never limited.
    const sessionId = fresh[0]?.sessionId as string;
    for (let i = 0; i < 50; i++) expect(await login('carol', sessionId)).toMatchObject({ sessionId, resumed: true });
    await own.close();
  });
});

describe('dev routes exist only with --dev', () => {
  it('are 404 without dev mode and mint verifiable tokens with it', async () => {
    const plain = await fetch(`http://127.0.0.1:${srv.port}/dev/token?sub=alice`);
    expect(plain.status).toBe(404);
    const { server: dev } = await startServer({ dev: true });
    const res = await fetch(`http://127.0.0.1:${dev.port}/dev/token?sub=alice&ttl=60`);
    const { token: minted } = (await res.json()) as { token: string };
    const c = client(dev.url);
    await c.session.login(minted);
    expect(c.session.getState().userId).toBe('alice');
    expect((await fetch(`http://127.0.0.1:${dev.port}/dev/token?sub=alice&ttl=0`)).status).toBe(400);
    const post = (path: string) => fetch(`http://127.0.0.1:${dev.port}${path}`, { method: 'POST' });
    expect((await post('/dev/pause?ms=-1')).status).toBe(400);
    expect((await post('/dev/freeze?ms=abc')).status).toBe(400);
    expect(await (await post('/dev/freeze?ms=0')).json()).toEqual({ frozenMs: 0 });
    expect(await (await post('/dev/pause?ms=0')).json()).toEqual({ pausedMs: 0 });
    expect((await fetch(`http://127.0.0.1:${dev.port}/dev/drop`, { method: 'OPTIONS' })).status).toBe(204);
    c.session.destroy();
    await dev.close();
    expect(key.symmetricKeySize).toBeGreaterThan(16);
  });
});
