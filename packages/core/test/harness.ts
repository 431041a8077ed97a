/** Shared set-up for engine tests: fake timers, a simulated server and an event log. */
import { vi } from 'vitest';
import { manualNetwork } from '../src/network.js';
import type { SessionOptions } from '../src/options.js';
import type { Session, SessionEventName } from '../src/session.js';
import { createSession, sessionEventNames } from '../src/session.js';
import { makeTestToken } from '../src/testing/test-token.js';
import type { SimulatedTransportOptions } from '../src/transport/simulated.js';
import { simulatedTransport } from '../src/transport/simulated.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export const tokenFor = (ttlSeconds = 3600, sub = 'alice') =>
  makeTestToken({ sub, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + ttlSeconds });

const names = sessionEventNames;

export interface Logged {
  name: SessionEventName;
  at: number;
  args: unknown[];
}

export function setup(options: Partial<SessionOptions> = {}, simOptions: SimulatedTransportOptions = {}) {
  if (!vi.isFakeTimers()) vi.useFakeTimers({ now: T0 });
  const sim = simulatedTransport(simOptions);
  const network = manualNetwork(true);
  const session: Session = createSession({ transport: sim, network, ...options });
  const log: Logged[] = [];
  for (const name of names) session.on(name, (...args: unknown[]) => log.push({ name, at: Date.now() - T0, args }));
  /** Compact event trace without status noise, e.g. ['disconnect:CONNECTION_FAILED', 'reconnecting:1']. */
  const trace = () =>
    log
      .filter((e) => e.name !== 'status')
      .map((e) => {
        const arg = e.args[0];
        if (e.name === 'error') return `error:${(arg as { type: string }).type}`;
        if (typeof arg === 'string' || typeof arg === 'number') return `${e.name}:${arg}`;
        return e.name;
      });
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
  return { sim, session, network, log, trace, advance, state: () => session.getState() };
}

export async function loggedIn(options: Partial<SessionOptions> = {}, simOptions: SimulatedTransportOptions = {}) {
  const h = setup(options, simOptions);
  const done = h.session.login(options.token ?? tokenFor());
  await h.advance(0);
  await done;
  h.log.length = 0;
  return h;
}
