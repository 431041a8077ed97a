/**
 * A real core session over the simulated transport, on a manual clock (so axe-core and
 * user-event keep real timers), rendered through SessionProvider.
 */
import type { Session, SessionOptions } from '@nexmo-session/core';
import { createSession, manualNetwork } from '@nexmo-session/core';
import type { ManualClock, SimulatedTransportOptions } from '@nexmo-session/core/testing';
import { makeTestToken, manualClock, simulatedTransport } from '@nexmo-session/core/testing';
import { act, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { SessionProvider } from '../src/session-provider.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function makeSession(options: Partial<SessionOptions> = {}, sim: SimulatedTransportOptions = {}) {
  const clock: ManualClock = manualClock(T0);
  const transport = simulatedTransport(sim);
  const network = manualNetwork(true);
  const session: Session = createSession({ transport, network, clock, ...options });
  const tokenFor = (ttlSeconds = 3600) =>
    makeTestToken({
      sub: 'alice',
      iat: Math.floor(clock.now() / 1000),
      exp: Math.floor(clock.now() / 1000) + ttlSeconds,
    });
  const advance = (ms: number) =>
    act(async () => {
      await clock.advanceAsync(ms);
    });
  return { session, sim: transport, network, clock, tokenFor, advance };
}

export async function renderConnected(
  ui: ReactNode,
  options: Partial<SessionOptions> & { ttlSeconds?: number } = {},
  sim: SimulatedTransportOptions = {},
) {
  const made = makeSession(options, sim);
  const view = render(<SessionProvider session={made.session}>{ui}</SessionProvider>);
  await act(async () => {
    const done = made.session.login(options.token ?? made.tokenFor(options.ttlSeconds));
    await made.clock.advanceAsync(sim.latencyMs ?? 0);
    await done;
  });
  return { ...made, ...view };
}
