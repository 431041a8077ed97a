/**
 * Named moments of a session's life, each reached by driving a real simulated session on the
 * manual clock. Stories pick one by name (the `moment` control), so every component can be shown
 * in every state without hand-made props.
 */
import { makeTestToken } from '@nexmo-session/core/testing';
import type { Scenario, ScenarioSetup } from './scenario.js';
import { latencyMs, startScenario, T0 } from './scenario.js';

export interface Moment extends ScenarioSetup {
  /** What the story shows, in a sentence (captions, control labels). */
  label: string;
  /** Drives the session to the moment before the components mount. */
  before?: (scenario: Scenario) => Promise<void>;
}

/** Attempt k of the default schedule starts at these times after a loss at 0 (100 ms refusals). */
export const attemptStartsMs = [1000, 3100, 7200, 15300, 31400] as const;

/** Half a second after attempt (n−1) was refused: counting down to attempt n. */
export function waitingForAttempt(attempt: 2 | 3 | 4 | 5): Moment & { seconds: number } {
  const previousStartMs = attemptStartsMs[attempt - 2] as number;
  const at = previousStartMs + latencyMs + 500;
  const seconds = Math.ceil(((attemptStartsMs[attempt - 1] as number) - at) / 1000);
  return {
    label: `Attempt ${attempt - 1} was refused; attempt ${attempt} of 5 starts in ${seconds} s.`,
    seconds,
    before: async (s) => {
      s.sim.serverDown();
      await s.advance(at);
    },
  };
}

const allAttemptsFailed = async (s: Scenario) => {
  s.sim.serverDown();
  await s.advance(32_000);
};

const reconnect = async (s: Scenario) => {
  s.sim.serverUp();
  s.session.connect().catch(() => {});
  await s.advance(latencyMs);
};

export const moments = {
  connected: { label: 'Connected: the banner and the prompt are hidden; their live regions stay mounted.' },
  signedOut: {
    label: 'Signed out (idle): logout() ended the session.',
    before: async (s) => {
      // logout() resolves when the server answered: let the simulated round trip happen.
      const loggedOut = s.session.logout();
      await s.advance(latencyMs);
      await loggedOut;
    },
  },
  blip: {
    label: 'Lost 200 ms ago: too short to show with the default showAfterMs (1000).',
    before: async (s) => {
      s.sim.serverDown();
      await s.advance(200);
    },
  },
  waitingForAttempt3: waitingForAttempt(3),
  attemptRunning: {
    label: 'Attempt 2 is in flight: the countdown reads "Connecting…".',
    before: async (s) => {
      s.sim.serverDown();
      await s.advance(3150);
    },
  },
  reconnected: {
    label: 'Attempt 2 succeeded: a short confirmation, which hides itself after notices.reconnectedMs.',
    before: async (s) => {
      s.sim.serverDown();
      await s.advance(1600);
      s.sim.serverUp();
      await s.advance(1600);
    },
  },
  failed: {
    label: 'All five attempts failed (error:client:reconnection_failed). Reconnect inside the window.',
    before: allAttemptsFailed,
  },
  connecting: {
    label: 'connect() in flight after the failure.',
    before: async (s) => {
      await allAttemptsFailed(s);
      s.sim.serverUp();
      s.session.connect().catch(() => {});
      await s.advance(0);
    },
  },
  resumed: {
    label: 'connect() inside the window: the same session resumed.',
    before: async (s) => {
      await allAttemptsFailed(s);
      await reconnect(s);
    },
  },
  sessionLost: {
    label: 'connect() after the window: a new session; anything bound to the old one (a call) is gone.',
    before: async (s) => {
      await allAttemptsFailed(s);
      await s.advance(300_000);
      await reconnect(s);
    },
  },
  offline: {
    label: 'The browser reports offline; the next attempt starts as soon as it is back.',
    before: async (s) => {
      s.network.set(false);
      s.sim.serverDown();
      await s.advance(500);
    },
  },
  loginFailed: {
    label: 'The server refused the token at login (error:client:login_failed): no retries.',
    rejectLogin: true,
  },
  tokenExpiring: {
    label: 'Inside tokenExpiringMs (2 min) of the token’s exp, with no fetchToken.',
    ttlSeconds: 600,
    before: async (s) => {
      await s.advance(500_000);
    },
  },
  tokenRefreshing: {
    label: 'TOKEN_EXPIRED with fetchToken: the engine is getting a new token, and reconnects with it by itself.',
    options: { fetchToken: () => new Promise<string>(() => {}) },
    before: async (s) => {
      s.sim.expireToken();
      await s.advance(0);
    },
  },
  refreshFailed: {
    label: 'With fetchToken, the refresh a minute before expiry failed (and its retries so far): the prompt shows.',
    ttlSeconds: 600,
    options: {
      fetchToken: async () => {
        throw new Error('The token endpoint is unreachable.');
      },
    },
    before: async (s) => {
      await s.advance(550_000); // refreshed at 540 s, retried at 541, 543, 547 s
    },
  },
  refreshable: {
    label: 'Connected with fetchToken: the engine refreshes the token by itself a minute before it expires.',
    ttlSeconds: 600,
    options: { fetchToken: async () => makeTestToken({ sub: 'alice', exp: Math.floor(T0 / 1000) + 7200 }) },
    before: async (s) => {
      await s.advance(100_000);
    },
  },
  tokenExpired: {
    label: 'The server said TOKEN_EXPIRED: no automatic attempts; refresh inside the window.',
    before: async (s) => {
      s.sim.expireToken();
      await s.advance(20_000);
    },
  },
} satisfies Record<string, Moment>;

export type MomentName = keyof typeof moments;
export const momentNames = Object.keys(moments) as MomentName[];

/** The session's `notices` options, as story controls (they are session options, not props). */
export interface NoticeArgs {
  showAfterMs?: number | undefined;
  reconnectedMs?: number | undefined;
}

export async function scenarioAt(moment: Moment, notices: NoticeArgs = {}): Promise<Scenario> {
  const given = Object.fromEntries(Object.entries(notices).filter(([, v]) => v !== undefined));
  const options = Object.keys(given).length > 0 ? { ...moment.options, notices: given } : moment.options;
  const scenario = await startScenario({ ...moment, ...(options ? { options } : {}) });
  await moment.before?.(scenario);
  return scenario;
}

/**
 * A loader for stories with a `moment` arg (and optionally the `notices` options). Loaders run
 * again when a control changes, so the story's previous session is destroyed first (keyed by
 * story id: a docs page shows several).
 */
const live = new Map<string, Scenario>();
export async function loadMoment({ args, id }: { args: { moment?: MomentName } & NoticeArgs; id: string }) {
  live.get(id)?.session.destroy();
  const { showAfterMs, reconnectedMs } = args;
  const scenario = await scenarioAt(moments[args.moment ?? 'connected'], { showAfterMs, reconnectedMs });
  live.set(id, scenario);
  return { scenario };
}
