/**
 * Model-based test (fast-check `fc.commands`): random sequences of what apps, users and networks do
 * — login, logout, destroy, send, drops, refusals, stalls, dead sockets, token expiry, slow /
 * failing / hanging fetchToken, offline / online — drive the real engine with the shipped
 * WebSocket connector over the simulated server's fake sockets and a manual clock. After every
 * step: no stuck state, no leaked timer, no unhandled rejection, messages in order; at the end,
 * every send() has settled.
 *
 * Seeded. A failure prints its seed and path; replay with MODEL_SEED=<seed> MODEL_PATH=<path>.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualNetwork } from '../src/network.js';
import { manualNetwork } from '../src/network.js';
import type { Session } from '../src/session.js';
import { createSession } from '../src/session.js';
import type { ManualClock } from '../src/testing/manual-clock.js';
import { manualClock } from '../src/testing/manual-clock.js';
import { makeTestToken } from '../src/testing/test-token.js';
import type { SimulatedTransport } from '../src/transport/simulated.js';
import { simulatedTransport } from '../src/transport/simulated.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const runs = Number(process.env.MODEL_RUNS ?? 500);
const seed = Number(process.env.MODEL_SEED ?? 20261126);

type FetchMode = 'ok' | 'fail' | 'hang' | 'slow';

interface Real {
  clock: ManualClock;
  sim: SimulatedTransport;
  network: ManualNetwork;
  session: Session;
  fetchMode: FetchMode;
  fetches: number;
  nextBody: number;
  sends: { body: number; settled: boolean }[];
  seen: Map<string, number>;
  problems: string[];
}

interface Model {
  destroyed: boolean;
}

let tokenSerial = 0;
const token = (clock: ManualClock, ttlSeconds: number) =>
  makeTestToken({
    sub: 'alice',
    iat: Math.floor(clock.now() / 1000),
    exp: Math.floor(clock.now() / 1000) + ttlSeconds,
    jti: `t${tokenSerial++}`,
  });

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** The invariants, checked after every command. */
function check(r: Real): void {
  const s = r.session.getState();
  const machine = r.session.debug.state();
  const now = r.clock.now();
  const timers = r.session.debug.pendingTimers();
  const fail = (what: string) => r.problems.push(`${what} (machine ${machine}, status ${s.status}, t+${now - T0})`);
  if (r.session.destroyed || machine === '@idle') {
    if (timers !== 0) fail(`${timers} timers left while idle/destroyed`);
    if (s.status !== 'idle') fail('idle machine with a non-idle status');
  }
  // Stuck: reconnecting always has an attempt scheduled or is paused offline…
  if (machine === '@reconnecting.backoff' && (s.nextRetryAt === null || s.nextRetryAt < now)) {
    fail(`backoff with nextRetryAt ${s.nextRetryAt}`);
  }
  if (machine === '@reconnecting.offline' && s.network !== 'offline') fail('paused offline while online');
  // …and an attempt (automatic, login or manual) always has a deadline.
  if ((machine === '@reconnecting.attempt' || machine === '@connecting.attempt') && timers === 0) {
    fail('attempt without a deadline');
  }
  if (machine === '@connecting.token' && s.tokenStatus !== 'refreshing' && timers === 0) {
    fail('waiting for a token with no fetch in flight and no retry scheduled');
  }
  if (s.retryCount < 0 || s.retryCount > s.maxRetries) fail(`retryCount ${s.retryCount}`);
  if (s.status === 'idle' && s.sessionId !== null) fail('idle with a sessionId');
  // Messages in order: the server takes each body once, in send order.
  const bodies = r.sim.received.map((m) => m.body as number);
  for (let i = 1; i < bodies.length; i++) {
    if ((bodies[i] as number) <= (bodies[i - 1] as number)) fail(`server took ${bodies[i]} after ${bodies[i - 1]}`);
  }
  if (unhandled.length > 0) fail(`unhandled rejection: ${String(unhandled[0])}`);
}

const cmd = (name: string, run: (r: Real) => void | Promise<void>, when: (m: Model) => boolean = (m) => !m.destroyed) =>
  ({
    check: when,
    async run(m: Model, r: Real) {
      if (name === 'destroy') m.destroyed = true;
      await run(r);
      await r.clock.advanceAsync(0);
      check(r);
    },
    toString: () => name,
  }) satisfies fc.AsyncCommand<Model, Real>;

const ignore = () => {};

function send(r: Real): void {
  const entry = { body: r.nextBody++, settled: false };
  r.sends.push(entry);
  r.session.send(entry.body).then(
    () => {
      entry.settled = true;
    },
    () => {
      entry.settled = true;
    },
  );
}

const commands = [
  fc.constant(cmd('login', (r) => void r.session.login(token(r.clock, 300)).catch(ignore))),
  fc.constant(cmd('login(fetch)', (r) => void r.session.login().catch(ignore))),
  fc.constant(cmd('logout', (r) => void r.session.logout())),
  fc.constant(cmd('destroy', (r) => r.session.destroy())),
  fc.constant(cmd('connect', (r) => void r.session.connect().catch(ignore))),
  fc.constant(cmd('retryNow', (r) => r.session.retryNow())),
  fc.constant(cmd('updateToken', (r) => void r.session.updateToken(token(r.clock, 600)).catch(ignore))),
  fc.constant(cmd('refreshToken', (r) => void r.session.refreshToken().catch(ignore))),
  fc.integer({ min: 1, max: 40 }).map((n) =>
    cmd(`send×${n}`, (r) => {
      for (let i = 0; i < n; i++) send(r);
    }),
  ),
  fc.constant(cmd('drop', (r) => r.sim.drop())),
  fc.constant(cmd('serverDown', (r) => r.sim.serverDown())),
  fc.constant(cmd('serverUp', (r) => r.sim.serverUp())),
  fc.integer({ min: 1, max: 8 }).map((n) => cmd(`refuse(${n})`, (r) => r.sim.refuseAttempts(n))),
  fc.boolean().map((on) => cmd(`rejectLogins(${on})`, (r) => r.sim.rejectLogins(on))),
  fc.integer({ min: 500, max: 30_000 }).map((ms) => cmd(`stall(${ms})`, (r) => r.sim.stall(ms))),
  fc.constant(cmd('blackhole', (r) => r.sim.blackhole())),
  fc.constant(cmd('expireToken', (r) => r.sim.expireToken())),
  fc.constant(cmd('forgetSessions', (r) => r.sim.forgetSessions())),
  fc.constant(cmd('push', (r) => r.sim.push('server event'))),
  fc.constantFrom<FetchMode>('ok', 'fail', 'hang', 'slow').map((mode) =>
    cmd(`fetchToken:${mode}`, (r) => {
      r.fetchMode = mode;
    }),
  ),
  fc.constant(cmd('offline', (r) => r.network.set(false))),
  fc.constant(cmd('online', (r) => r.network.set(true))),
  fc.constant(cmd('visible', (r) => r.network.visible())),
  fc.integer({ min: 0, max: 120_000 }).map((ms) =>
    cmd(
      `advance(${ms})`,
      (r) => r.clock.advanceAsync(ms),
      () => true,
    ),
  ),
];

function build(): Real {
  const clock = manualClock(T0);
  const sim = simulatedTransport({ resumeWindowMs: 60_000 });
  const network = manualNetwork(true);
  const real = {} as Real;
  const session = createSession({
    transport: sim,
    clock,
    network,
    fetchToken: () => {
      real.fetches += 1;
      switch (real.fetchMode) {
        case 'ok':
          return Promise.resolve(token(clock, 300));
        case 'fail':
          return Promise.reject(new Error('auth server down'));
        case 'hang':
          return new Promise<string>(() => {});
        case 'slow':
          return new Promise<string>((resolve) => clock.setTimeout(() => resolve(token(clock, 300)), 2000));
      }
    },
  });
  const seen = new Map<string, number>();
  const problems: string[] = [];
  session.on('message', (e) => {
    const id = session.getState().sessionId ?? '?';
    if (e.seq <= (seen.get(id) ?? 0)) problems.push(`event ${e.seq} after ${seen.get(id)} in ${id}`);
    seen.set(id, e.seq);
  });
  Object.assign(real, {
    clock,
    sim,
    network,
    session,
    fetchMode: 'ok',
    fetches: 0,
    nextBody: 0,
    sends: [],
    seen,
    problems,
  });
  return real;
}

describe('engine model: random sequences keep every invariant', () => {
  it(`${runs} seeded sequences: no stuck state, no leaked timer, no unhandled rejection, sends settle, order holds`, async () => {
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (cmds) => {
        sequences += 1;
        unhandled.length = 0;
        const real = build();
        await fc.asyncModelRun(() => ({ model: { destroyed: false }, real }), cmds);
        // Every send() settles: by the end, a logout (or destroy) settles whatever the server never took.
        // (A logout over a dead socket waits for its request timeout: let the clock run past it.)
        const loggedOut = real.session.logout();
        await real.clock.advanceAsync(20_000);
        await loggedOut;
        real.session.destroy();
        await real.clock.advanceAsync(0);
        check(real);
        const open = real.sends.filter((s) => !s.settled);
        if (open.length > 0) real.problems.push(`${open.length} send() calls never settled`);
        if (real.session.debug.pendingTimers() !== 0) real.problems.push('timers left after destroy');
        expect(real.problems).toEqual([]);
      }),
      {
        numRuns: runs,
        seed,
        ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}),
        endOnFailure: true,
        reporter: (details) => {
          if (details.failed) {
            throw new Error(
              `${fc.defaultReportMessage(details)}\nReplay: MODEL_SEED=${details.seed} MODEL_PATH=${details.counterexamplePath} npx vitest run --project core test/session.model.test.ts`,
            );
          }
        },
      },
    );
    expect(sequences).toBeGreaterThanOrEqual(runs);
  }, 240_000);
});
