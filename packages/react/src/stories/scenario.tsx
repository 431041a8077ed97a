/**
 * Stories are real sessions, not hand-made props: a core session over the simulated transport on a
 * manual clock, driven to one exact moment of the lifecycle. The clock stays frozen there, so each
 * story (and its screenshot) shows the same countdown every time.
 */
import type { Session, SessionOptions } from '@nexmo-session/core';
import { createSession, manualNetwork } from '@nexmo-session/core';
import type { ManualClock, SimulatedTransport } from '@nexmo-session/core/testing';
import { makeTestToken, manualClock, simulatedTransport } from '@nexmo-session/core/testing';
import { ConnectionBanner } from '../components/connection-banner/connection-banner.js';
import { ConnectionStatusBadge } from '../components/connection-status-badge/connection-status-badge.js';
import { TokenRefreshPrompt } from '../components/token-refresh-prompt/token-refresh-prompt.js';
import { SessionProvider } from '../session-provider.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
/** Every simulated round trip takes this long, so attempts have a visible "running" phase. */
export const latencyMs = 100;

export interface Scenario {
  session: Session;
  clock: ManualClock;
  sim: SimulatedTransport;
  network: ReturnType<typeof manualNetwork>;
  tokenFor(ttlSeconds?: number): string;
  advance(ms: number): Promise<void>;
}

export async function startScenario(
  setup: { ttlSeconds?: number; options?: Partial<SessionOptions>; rejectLogin?: boolean } = {},
): Promise<Scenario> {
  const clock = manualClock(T0);
  const sim = simulatedTransport({ latencyMs });
  const network = manualNetwork(true);
  const session = createSession({ transport: sim, clock, network, ...setup.options });
  const tokenFor = (ttlSeconds = 3600) =>
    makeTestToken({
      sub: 'alice',
      iat: Math.floor(clock.now() / 1000),
      exp: Math.floor(clock.now() / 1000) + ttlSeconds,
    });
  const scenario: Scenario = { session, clock, sim, network, tokenFor, advance: (ms) => clock.advanceAsync(ms) };
  if (setup.rejectLogin) sim.rejectLogins();
  const login = session.login(tokenFor(setup.ttlSeconds)).catch(() => {});
  await clock.advanceAsync(latencyMs);
  await login;
  return scenario;
}

/** The whole kit as an app would mount it. */
export function ScenarioFrame({
  scenario,
  caption,
  showAfterMs,
  onRefresh,
}: {
  scenario: Scenario;
  caption: string;
  showAfterMs?: number;
  onRefresh?: () => Promise<string | undefined>;
}) {
  return (
    <SessionProvider session={scenario.session}>
      <div className="story-frame">
        <p className="story-caption">{caption}</p>
        <div>
          <ConnectionStatusBadge />
        </div>
        <ConnectionBanner {...(showAfterMs !== undefined ? { showAfterMs } : {})} />
        <TokenRefreshPrompt {...(onRefresh ? { onRefresh } : {})} />
      </div>
    </SessionProvider>
  );
}

export const stateOf = (root: HTMLElement, selector: '.nxs-banner' | '.nxs-token-prompt' | '.nxs-badge') =>
  root.querySelector(selector)?.getAttribute('data-state') ?? null;
