import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionState } from '../src/state.js';
import { initialState } from '../src/state.js';
import type { Input } from '../src/transition.js';
import { transition } from '../src/transition.js';

const base = initialState(5);
const connected: SessionState = {
  ...base,
  status: 'connected',
  sessionId: 's1',
  userId: 'u',
  lastConnect: 'new',
  lastSeq: 7,
};
const info = (sessionId: string) => ({ sessionId, userId: 'u', resumed: sessionId === 's1' });
const err = { type: 'error:client:reconnection_failed' as const, message: 'x' };

describe('transition (table)', () => {
  const rows: [string, SessionState, Input, Partial<SessionState>][] = [
    ['login from idle', base, { type: 'LOGIN' }, { status: 'connecting' }],
    ['connect from idle is ignored', base, { type: 'CONNECT' }, { status: 'idle' }],
    [
      'transport reports while idle are ignored',
      base,
      { type: 'CONNECTED', now: 1, info: info('s9') },
      { status: 'idle', sessionId: null },
    ],
    [
      'loss while connected starts the window',
      connected,
      { type: 'CONNECTION_LOST', now: 100, retryAt: 1100, resumeWindowMs: 300_000 },
      {
        status: 'reconnecting',
        connectionLostAt: 100,
        sessionExpiresAt: 300_100,
        nextRetryAt: 1100,
        retryCount: 0,
        disconnectReason: 'CONNECTION_FAILED',
      },
    ],
    [
      'an attempt sets retryCount and marks it running',
      { ...connected, status: 'reconnecting', nextRetryAt: 1100, connectionLostAt: 100 },
      { type: 'ATTEMPT', now: 1100, attempt: 1 },
      { retryCount: 1, nextRetryAt: 1100 },
    ],
    [
      'reconnect into the same session resumes and keeps lastSeq',
      {
        ...connected,
        status: 'reconnecting',
        nextRetryAt: 1100,
        connectionLostAt: 100,
        sessionExpiresAt: 300_100,
        retryCount: 2,
      },
      { type: 'CONNECTED', now: 2000, info: info('s1') },
      {
        status: 'connected',
        lastConnect: 'resumed',
        lastSeq: 7,
        retryCount: 0,
        nextRetryAt: null,
        connectionLostAt: null,
        sessionExpiresAt: null,
      },
    ],
    [
      'a different session id is new and resets lastSeq',
      { ...connected, status: 'connecting', connectionLostAt: 100 },
      { type: 'CONNECTED', now: 2000, info: info('s2') },
      { sessionId: 's2', lastConnect: 'new', lastSeq: 0 },
    ],
    [
      'failure after the cycle',
      { ...connected, status: 'reconnecting', nextRetryAt: 31_000, retryCount: 5, connectionLostAt: 0 },
      { type: 'RECONNECTION_FAILED', error: err },
      { status: 'disconnected', nextRetryAt: null, error: err, retryCount: 5 },
    ],
    [
      'TOKEN_EXPIRED stops with no retry time',
      connected,
      { type: 'TOKEN_EXPIRED', now: 50, resumeWindowMs: 1000 },
      {
        status: 'disconnected',
        disconnectReason: 'TOKEN_EXPIRED',
        nextRetryAt: null,
        tokenStatus: 'expired',
        sessionExpiresAt: 1050,
      },
    ],
    [
      'logout resets to idle but keeps the network',
      { ...connected, network: 'offline' },
      { type: 'LOGGED_OUT' },
      { ...base, network: 'offline' },
    ],
    ['stale seq is ignored', connected, { type: 'SEQ', seq: 3 }, { lastSeq: 7 }],
    [
      'retry schedule after a failed manual connect',
      { ...connected, status: 'connecting' },
      { type: 'RETRY_SCHEDULED', now: 5, attempt: 1, at: 1005, resumeWindowMs: 10 },
      { status: 'reconnecting', nextRetryAt: 1005, connectionLostAt: 5 },
    ],
  ];
  it.each(rows)('%s', (_, state, input, expected) => {
    expect(transition(state, input)).toMatchObject(expected);
  });

  it('returns the same object when nothing changes (no wasted store notifications)', () => {
    expect(transition(connected, { type: 'NETWORK', online: true })).toBe(connected);
    expect(transition(connected, { type: 'OUTBOX', size: 0 })).toBe(connected);
    expect(transition(base, { type: 'ATTEMPT', now: 1, attempt: 1 })).toBe(base);
  });
});

const inputArb: fc.Arbitrary<Input> = fc.oneof(
  fc.constant<Input>({ type: 'LOGIN' }),
  fc.constant<Input>({ type: 'CONNECT' }),
  fc.constant<Input>({ type: 'LOGGED_OUT' }),
  fc.record({ type: fc.constant('CONNECTED' as const), now: fc.nat(), info: fc.constantFrom(info('s1'), info('s2')) }),
  fc.record({
    type: fc.constant('CONNECTION_LOST' as const),
    now: fc.nat(),
    retryAt: fc.option(fc.nat()),
    resumeWindowMs: fc.nat(),
  }),
  fc.record({
    type: fc.constant('RETRY_SCHEDULED' as const),
    now: fc.nat(),
    attempt: fc.integer({ min: 1, max: 9 }),
    at: fc.option(fc.nat()),
    resumeWindowMs: fc.nat(),
  }),
  fc.record({ type: fc.constant('ATTEMPT' as const), now: fc.nat(), attempt: fc.integer({ min: 1, max: 9 }) }),
  fc.constant<Input>({ type: 'RECONNECTION_FAILED', error: err }),
  fc.record({ type: fc.constant('TOKEN_EXPIRED' as const), now: fc.nat(), resumeWindowMs: fc.nat() }),
  fc.constant<Input>({ type: 'LOGIN_FAILED', error: { type: 'error:client:login_failed', message: 'no' } }),
  fc.record({ type: fc.constant('SEQ' as const), seq: fc.nat() }),
);

describe('transition (properties)', () => {
  it('keeps the state invariants for any input sequence', () => {
    fc.assert(
      fc.property(fc.array(inputArb, { maxLength: 60 }), (inputs) => {
        let s = initialState(5);
        for (const input of inputs) {
          s = transition(s, input);
          expect(s.retryCount).toBeLessThanOrEqual(s.maxRetries);
          expect(s.nextRetryAt !== null).toBe(s.status === 'reconnecting');
          if (s.status === 'idle') expect(s.sessionId).toBeNull();
          if (s.status === 'connected') expect(s.connectionLostAt).toBeNull();
          if (s.sessionExpiresAt !== null) expect(s.sessionExpiresAt).toBeGreaterThanOrEqual(s.connectionLostAt ?? 0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
