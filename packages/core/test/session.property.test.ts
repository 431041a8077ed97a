import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setup, T0, tokenFor } from './harness.js';

type Step =
  | { kind: 'drop' | 'serverDown' | 'serverUp' | 'expireToken' | 'forget' | 'push' | 'offline' | 'online' }
  | { kind: 'refuse'; n: number }
  | { kind: 'reject'; on: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'login' | 'connect' | 'retryNow' | 'logout' | 'send' | 'updateToken' | 'refresh' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>(
    { kind: 'drop' },
    { kind: 'serverDown' },
    { kind: 'serverUp' },
    { kind: 'expireToken' },
    { kind: 'forget' },
    { kind: 'push' },
    { kind: 'offline' },
    { kind: 'online' },
    { kind: 'login' },
    { kind: 'connect' },
    { kind: 'retryNow' },
    { kind: 'logout' },
    { kind: 'send' },
    { kind: 'updateToken' },
    { kind: 'refresh' },
  ),
  fc.record({ kind: fc.constant('refuse' as const), n: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ kind: fc.constant('reject' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
);

afterEach(() => {
  vi.useRealTimers();
});

describe('engine invariants under random transport events and API calls', () => {
  it('holds after every step, and nothing is pending after destroy', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom(0, 50),
        async (steps, withFetch, latencyMs) => {
          vi.useFakeTimers({ now: T0 });
          const { session, sim, network, advance, state } = setup(
            { token: tokenFor(900), ...(withFetch ? { fetchToken: async () => tokenFor(900) } : {}) },
            { latencyMs },
          );
          // Invariants hold at every committed state, not only between steps.
          const violations: string[] = [];
          session.store.subscribe((s) => {
            if (s.retryCount > s.maxRetries || s.retryCount < 0) violations.push(`retryCount ${s.retryCount}`);
            if ((s.nextRetryAt !== null) !== (s.status === 'reconnecting'))
              violations.push(`nextRetryAt ${s.nextRetryAt} while ${s.status}`);
            if (s.status === 'idle' && s.sessionId !== null) violations.push('idle with a sessionId');
          });
          const ignore = () => {};
          const unhandled: unknown[] = [];
          session.on('error', ignore);
          for (const step of steps) {
            switch (step.kind) {
              case 'drop':
                sim.drop();
                break;
              case 'serverDown':
                sim.serverDown();
                break;
              case 'serverUp':
                sim.serverUp();
                break;
              case 'expireToken':
                sim.expireToken();
                break;
              case 'forget':
                sim.forgetSessions();
                break;
              case 'push':
                sim.push({ n: 1 });
                break;
              case 'offline':
                network.set(false);
                break;
              case 'online':
                network.set(true);
                break;
              case 'refuse':
                sim.refuseAttempts(step.n);
                break;
              case 'reject':
                sim.rejectLogins(step.on);
                break;
              case 'advance':
                await advance(step.ms);
                break;
              case 'login':
                session.login(tokenFor(900)).catch(ignore);
                break;
              case 'connect':
                session.connect().catch(ignore);
                break;
              case 'retryNow':
                session.retryNow();
                break;
              case 'logout':
                await session.logout();
                break;
              case 'send':
                session.send({ hi: 1 }).catch(ignore);
                break;
              case 'updateToken':
                session.updateToken(tokenFor(900)).catch(ignore);
                break;
              case 'refresh':
                session.refreshToken().catch(ignore);
                break;
            }
            await advance(0);
            expect(violations).toEqual([]);
            const s = state();
            expect(s.retryCount).toBeLessThanOrEqual(s.maxRetries);
            expect(s.retryCount).toBeGreaterThanOrEqual(0);
            expect(s.nextRetryAt !== null).toBe(s.status === 'reconnecting');
            if (s.status === 'idle') {
              expect(s.sessionId).toBeNull();
              expect(s.outboxSize).toBe(0);
              expect(session.debug.pendingTimers()).toBe(0);
            }
            if (s.status === 'connected') expect(sim.isConnected).toBe(true);
          }
          session.destroy();
          await advance(0);
          expect(unhandled).toEqual([]);
          expect(vi.getTimerCount()).toBe(0);
          expect(sim.pendingTimers).toBe(0);
          expect(session.debug.pendingTimers()).toBe(0);
          vi.useRealTimers();
        },
      ),
      { numRuns: 150 },
    );
  });
});
