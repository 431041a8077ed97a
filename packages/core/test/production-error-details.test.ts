/**
 * Production bundles drop every human error text (errors.ts), so whatever a program needs to tell
 * two failures of one type apart must live in `details` or `cause`. Each test here makes two or
 * more failures that shared a type and differed only in the dropped text, in a production bundle
 * of core built the way an app's bundler builds it, and checks what a program can still read.
 * (Review, wave 4: a fetchToken() timeout and a rejection were the same error in production.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as dev from '../src/index.js';
import type * as devTesting from '../src/testing.js';

const src = (file: string) => new URL(`../src/${file}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nexmo-session-prod-details-'));
let core: typeof dev;
let testing: typeof devTesting;

beforeAll(async () => {
  const result = await build({
    entryPoints: [src('index.ts'), src('testing.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    outdir: dir,
    splitting: true, // one SessionError class shared by both entries, as in the published package
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  core = (await import(pathToFileURL(join(dir, 'index.js')).href)) as typeof dev;
  testing = (await import(pathToFileURL(join(dir, 'testing.js')).href)) as typeof devTesting;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a program can read of an error besides its message. */
const observable = (err: dev.SessionError) => ({
  type: err.type,
  details: err.details,
  causeName: (err.cause as Error | undefined)?.name,
});

async function rejection(promise: Promise<unknown>): Promise<dev.SessionError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(core.SessionError);
    expect((err as Error).message).toBe((err as dev.SessionError).type); // the text really is gone
    return err as dev.SessionError;
  }
  throw new Error('did not reject');
}

async function loginError(fetchToken: () => Promise<string>): Promise<dev.SessionError> {
  const session = core.createSession({
    transport: core.webSocketTransport('ws://127.0.0.1:1/ws'),
    fetchToken,
    fetchTokenTimeoutMs: 200,
    reconnect: { maxRetries: 0 },
  });
  try {
    return await rejection(session.login());
  } finally {
    session.destroy();
  }
}

const alice = () => testing.makeTestToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 });

describe('production: errors of one type are told apart without their text', () => {
  it('fetchToken() timing out vs rejecting', async () => {
    const timedOut = await loginError(() => new Promise<string>(() => {}));
    const rejected = await loginError(() => Promise.reject(new Error('')));
    expect(timedOut.type).toBe('error:client:fetch_token_failed');
    expect(rejected.type).toBe('error:client:fetch_token_failed');
    expect(observable(timedOut)).not.toEqual(observable(rejected));
    expect(timedOut.details).toEqual({ reason: 'timeout', timeoutMs: 200 });
    expect((timedOut.cause as Error).name).toBe('TimeoutError');
    expect(rejected.details).toEqual({ reason: 'rejected' });
  });

  it('fetchToken() giving a non-string, the token in use, or a refused token', async () => {
    const notString = await loginError(() => Promise.resolve(42 as unknown as string));
    expect(observable(notString)).toEqual({
      type: 'error:client:fetch_token_failed',
      details: { reason: 'not_a_string' },
      causeName: 'TypeError',
    });

    const token = alice();
    const server = testing.simulatedTransport();
    const session = core.createSession({ transport: server, fetchToken: () => Promise.resolve(token) });
    await session.login();
    const inUse = await rejection(session.refreshToken());
    expect(observable(inUse)).toEqual({
      type: 'error:client:fetch_token_failed',
      details: { reason: 'token_in_use' },
      causeName: 'TypeError',
    });
    session.destroy();

    const refusing = testing.simulatedTransport();
    refusing.rejectLogins(true);
    const refusedSession = core.createSession({ transport: refusing, fetchToken: () => Promise.resolve(token) });
    expect((await rejection(refusedSession.login())).type).toBe('error:client:login_failed');
    const refused = await rejection(refusedSession.refreshToken());
    expect(observable(refused)).toEqual({
      type: 'error:client:fetch_token_failed',
      details: { reason: 'token_refused' },
      causeName: 'TypeError',
    });
    refusedSession.destroy();
  });

  it("token_invalid: another user's token, a refused one, a malformed one", async () => {
    const server = testing.simulatedTransport();
    const session = core.createSession({ transport: server });
    await session.login(alice());
    const bob = testing.makeTestToken({ sub: 'bob', exp: Math.floor(Date.now() / 1000) + 3600 });
    const otherUser = await rejection(session.updateToken(bob));
    const malformed = await rejection(session.updateToken('not-a-jwt'));
    const notString = await rejection(session.updateToken(7 as unknown as string));
    expect(otherUser.details).toEqual({ reason: 'other_user', sub: 'bob', expectedSub: 'alice' });
    expect(malformed.details).toEqual({ reason: 'not_a_jwt' });
    expect(notString.details).toEqual({ reason: 'not_a_jwt' });
    for (const err of [otherUser, malformed, notString]) expect(err.type).toBe('error:client:token_invalid');
    session.destroy();

    // The server refuses a token: offering it again is refused here, and says so.
    const refusing = testing.simulatedTransport();
    refusing.rejectLogins(true);
    const token = alice();
    const refusedSession = core.createSession({ transport: refusing });
    await rejection(refusedSession.login(token));
    const again = await rejection(refusedSession.updateToken(token));
    expect(observable(again)).toEqual({
      type: 'error:client:token_invalid',
      details: { reason: 'token_refused' },
      causeName: undefined,
    });
    refusedSession.destroy();
  });

  it('invalid_message: a body nested too deep vs one that is not JSON', async () => {
    const session = core.createSession({ transport: testing.simulatedTransport() });
    await session.login(alice());
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = { deep };
    const tooDeep = await rejection(session.send(deep));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const notJson = await rejection(session.send(circular));
    const nothing = await rejection(session.send(undefined));
    expect(tooDeep.type).toBe('error:client:invalid_message');
    expect(tooDeep.details).toEqual({ reason: 'too_deep', maxDepth: 64 });
    expect(observable(notJson)).toEqual({
      type: 'error:client:invalid_message',
      details: { reason: 'not_json' },
      causeName: 'TypeError', // JSON.stringify's own error
    });
    expect(nothing.details).toEqual({ reason: 'not_json' });
    session.destroy();
  });

  it('a server frame ignored vs a session taken over: transport bad_frame, logged_out taken_over', async () => {
    /** A socket whose server answers login with `answers` (frames; a number closes with that code). */
    const scripted = (answers: Array<object | string | number>) =>
      class FakeSocket {
        readyState = 0;
        #listeners = new Map<string, Array<(event: unknown) => void>>();
        constructor() {
          setTimeout(() => this.#fire('open', {}), 0);
        }
        addEventListener(type: string, fn: (event: unknown) => void) {
          this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), fn]);
        }
        #fire(type: string, event: unknown) {
          if (type === 'open') this.readyState = 1;
          if (type === 'close') this.readyState = 3;
          for (const fn of this.#listeners.get(type) ?? []) fn(event);
        }
        send(data: string) {
          if (!data.includes('session:login')) return;
          setTimeout(() => {
            for (const answer of answers) {
              // A close comes a moment later, when the test has had its turn.
              if (typeof answer === 'number') setTimeout(() => this.#fire('close', { code: answer, reason: '' }), 20);
              else this.#fire('message', { data: typeof answer === 'string' ? answer : JSON.stringify(answer) });
            }
          }, 0);
        }
        close() {
          if (this.readyState !== 3) this.#fire('close', { code: 1000, reason: '' });
        }
      };
    const success = {
      type: 'session:success',
      sessionId: 's1',
      userId: 'alice',
      resumed: false,
      serverTime: Date.now(),
      tokenExpiresAt: Date.now() + 3_600_000,
      resumeWindowMs: 300_000,
      lastSeq: 0,
      firstSeq: 1,
      limits: { maxFrameBytes: 65536, messagesPerSecond: 100, burst: 200 },
    };
    const errors: dev.SessionError[] = [];
    const session = core.createSession({
      transport: core.webSocketTransport('ws://127.0.0.1:1/ws', {
        WebSocket: scripted(['{"type":"session:nonsense"}', success, 4409]) as unknown as dev.WebSocketConstructor,
      }),
    });
    session.on('error', (err) => errors.push(err));
    await session.login(alice());
    // Never acknowledged: it is still waiting when the server hands the session to another connection (4409).
    const takenOver = await rejection(session.send({ hello: 1 }));
    expect(observable(takenOver)).toEqual({
      type: 'error:client:logged_out',
      details: { reason: 'taken_over' },
      causeName: undefined,
    });
    const badFrame = errors.find((e) => e.type === 'error:client:transport');
    expect(badFrame?.details).toEqual({ reason: 'bad_frame' });

    // logout() ends pending sends with logged_out too, and says nothing more.
    const again = core.createSession({
      transport: core.webSocketTransport('ws://127.0.0.1:1/ws', {
        WebSocket: scripted([success]) as unknown as dev.WebSocketConstructor,
      }),
    });
    await again.login(alice());
    const pending = rejection(again.send({ hello: 2 }));
    void again.logout(); // its request to this scripted server is never answered; the local end is at once
    const loggedOut = await pending;
    expect(loggedOut.type).toBe('error:client:logged_out');
    expect(observable(loggedOut)).not.toEqual(observable(takenOver));
    session.destroy();
    again.destroy();
  });

  it('invalid_state: each reason an API call can be refused for', async () => {
    const reasons: unknown[] = [];
    const note = async (promise: Promise<unknown>) => {
      const err = await rejection(promise);
      expect(err.type).toBe('error:client:invalid_state');
      reasons.push(err.details?.reason);
    };
    const server = testing.simulatedTransport();
    const session = core.createSession({ transport: server });
    await note(session.connect());
    await note(session.login());
    await session.login(alice());
    await note(session.login(alice()));
    await note(session.refreshToken());
    session.destroy();

    const refusing = testing.simulatedTransport();
    refusing.rejectLogins(true);
    const refused = core.createSession({ transport: refusing });
    await rejection(refused.login(alice()));
    await note(refused.connect());
    refused.destroy();

    const sdkLike = core.createSession({
      transport: {
        attach() {},
        connect() {},
        retryNow() {},
        suspend() {},
        login() {},
        logout: () => Promise.resolve(),
        updateToken: () => Promise.resolve({}),
        send() {},
        destroy() {},
        carriesMessages: false,
      } as unknown as dev.SelfRetryingTransport,
      token: alice(),
    });
    sdkLike.login().catch(() => {});
    await note(sdkLike.send({ hi: 1 }));
    sdkLike.destroy();

    expect(reasons).toEqual([
      'not_logged_in',
      'no_token',
      'logged_in',
      'no_fetch_token',
      'token_refused',
      'no_messages',
    ]);
  });
});
