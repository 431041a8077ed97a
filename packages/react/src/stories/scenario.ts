/**
 * Stories are real sessions, not hand-made props: a core session over the simulated transport on a
 * manual clock, driven to one exact moment of the lifecycle. The clock stays frozen there, so each
 * story (and its screenshot) shows the same countdown every time.
 *
 * Moving a manual clock is instant, and that is the trap: a user's real second gives React time
 * to render, subscribe and arm its timers, but `advanceAsync` only lets promise callbacks run, and
 * React (without act(), as in Storybook and any production build) renders and runs effects in
 * later tasks. So `advance` below stops at every timer that falls due and waits for React to catch
 * up first (`settle`), the way real time would.
 */
import type { Session, SessionOptions } from '@nexmo-session/core';
import { createSession, manualNetwork } from '@nexmo-session/core';
import type { ManualClock, SimulatedTransport } from '@nexmo-session/core/testing';
import { makeTestToken, manualClock, simulatedTransport } from '@nexmo-session/core/testing';

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
/** Every simulated round trip takes this long, so attempts have a visible "running" phase. */
export const latencyMs = 100;

/** Resolves once React has committed and run the effects of everything scheduled so far. */
export type SettleProbe = () => Promise<void>;

export interface Scenario {
  session: Session;
  clock: ManualClock;
  sim: SimulatedTransport;
  network: ReturnType<typeof manualNetwork>;
  tokenFor(ttlSeconds?: number): string;
  /** Move the clock, letting React catch up before every timer that falls due (see above). */
  advance(ms: number): Promise<void>;
  /** Wait until React has rendered what the session shows now. Immediate before mount. */
  settle(): Promise<void>;
  /** The mounted frame's probe (ScenarioProvider sets it; null before mount and after unmount). */
  attachProbe(probe: SettleProbe | null): void;
}

export interface ScenarioSetup {
  ttlSeconds?: number;
  /** One-way latency of the simulated server. Default `latencyMs` (100). */
  latencyMs?: number;
  options?: Partial<SessionOptions>;
  rejectLogin?: boolean;
}

export async function startScenario(setup: ScenarioSetup = {}): Promise<Scenario> {
  const clock = trackedClock(manualClock(T0));
  const roundTripMs = setup.latencyMs ?? latencyMs;
  const sim = simulatedTransport({ latencyMs: roundTripMs });
  const network = manualNetwork(true);
  const session = createSession({ transport: sim, clock, network, ...setup.options });
  const tokenFor = (ttlSeconds = 3600) =>
    makeTestToken({
      sub: 'alice',
      iat: Math.floor(clock.now() / 1000),
      exp: Math.floor(clock.now() / 1000) + ttlSeconds,
    });

  let probe: SettleProbe | null = null;
  const settle = async () => {
    // Twice: an effect of the first commit may set state (a countdown's first tick), and that
    // second commit's effects may arm a timer on the clock.
    for (let i = 0; i < 2 && probe; i++) await probe();
  };
  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    await settle();
    for (let due = clock.nextDueAt(target); due !== null; due = clock.nextDueAt(target)) {
      await clock.advanceAsync(due - clock.now());
      await settle();
    }
    await clock.advanceAsync(target - clock.now());
    await settle();
  };

  const scenario: Scenario = {
    session,
    clock,
    sim,
    network,
    tokenFor,
    advance,
    settle,
    attachProbe: (p) => {
      probe = p;
    },
  };
  if (setup.rejectLogin) sim.rejectLogins();
  const login = session.login(tokenFor(setup.ttlSeconds)).catch(() => {});
  await clock.advanceAsync(roundTripMs);
  await login;
  return scenario;
}

/** The manual clock, plus when its next timer is due (the manual clock keeps that to itself). */
function trackedClock(inner: ManualClock): ManualClock & { nextDueAt(limitMs: number): number | null } {
  const dueAt = new Map<unknown, number>();
  return {
    now: () => inner.now(),
    setTimeout(fn, ms) {
      const handle = inner.setTimeout(() => {
        dueAt.delete(handle);
        fn();
      }, ms);
      dueAt.set(handle, inner.now() + Math.max(0, ms));
      return handle;
    },
    clearTimeout(handle) {
      dueAt.delete(handle);
      inner.clearTimeout(handle);
    },
    advance: (ms) => inner.advance(ms),
    advanceAsync: (ms) => inner.advanceAsync(ms),
    get pending() {
      return inner.pending;
    },
    nextDueAt(limitMs) {
      let next: number | null = null;
      for (const at of dueAt.values()) if (at <= limitMs && (next === null || at < next)) next = at;
      return next;
    },
  };
}

export const stateOf = (root: HTMLElement, selector: '.nxs-banner' | '.nxs-token-prompt' | '.nxs-badge') =>
  root.querySelector(selector)?.getAttribute('data-state') ?? null;
