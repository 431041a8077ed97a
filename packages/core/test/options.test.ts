import { describe, expect, it } from 'vitest';
import { SessionOptionsError } from '../src/errors.js';
import type { SessionOptions } from '../src/options.js';
import { createSession } from '../src/session.js';
import { simulatedTransport } from '../src/transport/simulated.js';

const make = (extra: Record<string, unknown>) => () =>
  createSession({ transport: simulatedTransport(), ...extra } as unknown as SessionOptions);

describe('createSession options', () => {
  it.each([
    [{ reconnect: { initialDelayMs: -1 } }, 'reconnect.initialDelayMs'],
    [{ reconnect: { maxRetries: 2.5 } }, 'reconnect.maxRetries'],
    [{ reconnect: { maxRetries: -1 } }, 'reconnect.maxRetries'],
    [{ reconnect: { jitter: 1.5 } }, 'reconnect.jitter'],
    [{ reconnect: { jitter: -0.1 } }, 'reconnect.jitter'],
    [{ reconnect: { factor: 0.5 } }, 'reconnect.factor'],
    [{ reconnect: { initialDelayMs: 5000, maxDelayMs: 1000 } }, 'reconnect.maxDelayMs'],
    [{ reconnect: { maxDelayMs: Number.NaN } }, 'reconnect.maxDelayMs'],
    [{ resumeWindowMs: -5 }, 'resumeWindowMs'],
    [{ tokenRefreshLeadMs: 'soon' }, 'tokenRefreshLeadMs'],
    [{ whenOnline: 'always' }, 'whenOnline'],
    [{ outbox: { max: -1 } }, 'outbox.max'],
    [{ heartbeat: { intervalMs: 0 } }, 'heartbeat.intervalMs'],
    [{ heartbeat: 'often' }, 'heartbeat'],
    [{ fetchToken: 'token' }, 'fetchToken'],
    [{ token: 42 }, 'token'],
    [{ clock: {} }, 'clock'],
    [{ transport: undefined }, 'transport'],
    [{ transport: {} }, 'transport'],
  ])('%j throws naming %s', (extra, option) => {
    try {
      make(extra)();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SessionOptionsError);
      expect((err as SessionOptionsError).option).toBe(option);
      expect((err as Error).message).toContain(option);
    }
  });

  it('accepts the documented defaults', () => {
    const session = make({})();
    expect(session.getState()).toMatchObject({ status: 'idle', maxRetries: 5, tokenStatus: 'none' });
    session.destroy();
  });
});
