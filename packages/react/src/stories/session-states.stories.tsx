/**
 * Every documented state, each a real session frozen at one moment (see scenario.tsx).
 * Each story's play function asserts what it shows, so every story is also a test.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import type { Scenario } from './scenario.js';
import { latencyMs, ScenarioFrame, startScenario, stateOf } from './scenario.js';

interface Loaded {
  scenario: Scenario;
}

const meta: Meta = {
  title: 'Session/States',
  parameters: { layout: 'padded' },
};
export default meta;

type Story = StoryObj<{ caption: string; showAfterMs?: number; refreshable?: boolean }>;

const render: Story['render'] = (args, { loaded }) => (
  <ScenarioFrame
    scenario={(loaded as Loaded).scenario}
    caption={args.caption}
    {...(args.showAfterMs !== undefined ? { showAfterMs: args.showAfterMs } : {})}
    {...(args.refreshable ? { onRefresh: async () => (loaded as Loaded).scenario.tokenFor(3600) } : {})}
  />
);

function expectStates(banner: string | null, prompt: string | null, badge: string | null): NonNullable<Story['play']> {
  return async ({ canvasElement }) => {
    await expect(stateOf(canvasElement, '.nxs-banner')).toBe(banner);
    await expect(stateOf(canvasElement, '.nxs-token-prompt')).toBe(prompt);
    await expect(stateOf(canvasElement, '.nxs-badge')).toBe(badge);
  };
}

/** Attempt k of the default schedule starts at these times after a loss at 0 (100 ms refusals). */
const attemptStartsMs = [1000, 3100, 7200, 15300, 31400];

export const Connected: Story = {
  args: { caption: 'Connected: the banner and the prompt are hidden; their live regions are mounted.' },
  loaders: [async () => ({ scenario: await startScenario() })],
  render,
  play: expectStates('hidden', 'hidden', 'connected'),
};

export const ReconnectingAttempt1: Story = {
  args: { caption: 'Lost 200 ms ago, waiting for attempt 1 (showAfterMs 0 to show it this early).', showAfterMs: 0 },
  loaders: [
    async () => {
      const scenario = await startScenario();
      scenario.sim.serverDown();
      await scenario.advance(200);
      return { scenario };
    },
  ],
  render,
  play: async (ctx) => {
    await expectStates('reconnecting', 'hidden', 'reconnecting')(ctx);
    await expect(ctx.canvasElement.textContent).toContain('attempt 1 of 5');
    await expect(ctx.canvasElement.textContent).toContain('Next attempt in 1 s');
  },
};

function reconnectingAt(attempt: number): Story {
  // Half a second after attempt (n−1) was refused: the banner counts down to attempt n.
  const at = (attemptStartsMs[attempt - 2] as number) + latencyMs + 500;
  const seconds = Math.ceil(((attemptStartsMs[attempt - 1] as number) - at) / 1000);
  return {
    args: { caption: `Attempt ${attempt - 1} was refused; attempt ${attempt} of 5 starts in ${seconds} s.` },
    loaders: [
      async () => {
        const scenario = await startScenario();
        scenario.sim.serverDown();
        await scenario.advance(at);
        return { scenario };
      },
    ],
    render,
    play: async (ctx) => {
      await expectStates('reconnecting', 'hidden', 'reconnecting')(ctx);
      await expect(ctx.canvasElement.textContent).toContain(`attempt ${attempt} of 5`);
      await expect(ctx.canvasElement.textContent).toContain(`Next attempt in ${seconds} s`);
    },
  };
}

export const ReconnectingAttempt2 = reconnectingAt(2);
export const ReconnectingAttempt3 = reconnectingAt(3);
export const ReconnectingAttempt4 = reconnectingAt(4);
export const ReconnectingAttempt5 = reconnectingAt(5);

export const AttemptRunning: Story = {
  args: { caption: 'Attempt 2 is in flight: the countdown reads "Connecting…".' },
  loaders: [
    async () => {
      const scenario = await startScenario();
      scenario.sim.serverDown();
      await scenario.advance(3150);
      return { scenario };
    },
  ],
  render,
  play: async (ctx) => {
    await expectStates('reconnecting', 'hidden', 'reconnecting')(ctx);
    await expect(ctx.canvasElement.textContent).toContain('Connecting…');
  },
};

export const Reconnected: Story = {
  args: { caption: 'Attempt 2 succeeded: a short confirmation, then the banner hides itself.' },
  loaders: [
    async () => {
      const scenario = await startScenario();
      scenario.sim.serverDown();
      await scenario.advance(1600);
      return { scenario };
    },
  ],
  render,
  // The confirmation is for a banner that saw the outage, so the recovery happens after mount.
  play: async (ctx) => {
    const { scenario } = ctx.loaded as Loaded;
    await expectStates('reconnecting', 'hidden', 'reconnecting')(ctx);
    scenario.sim.serverUp();
    await scenario.advance(1600);
    await expectStates('reconnected', 'hidden', 'connected')(ctx);
  },
};

async function failed(): Promise<Scenario> {
  const scenario = await startScenario();
  scenario.sim.serverDown();
  await scenario.advance(32_000);
  return scenario;
}

export const ReconnectionFailed: Story = {
  args: { caption: 'All five attempts failed (error:client:reconnection_failed). Reconnect inside the window.' },
  loaders: [async () => ({ scenario: await failed() })],
  render,
  play: async (ctx) => {
    await expectStates('failed', 'hidden', 'disconnected')(ctx);
    await expect(ctx.canvasElement.querySelector('[role="alert"]')?.textContent).toBe('Could not reconnect.');
    await expect(ctx.canvasElement.textContent).toContain('Reconnect within 4:28');
  },
};

export const Resumed: Story = {
  args: { caption: 'connect() inside the window: the same session resumed.' },
  loaders: [async () => ({ scenario: await failed() })],
  render,
  play: async (ctx) => {
    const { scenario } = ctx.loaded as Loaded;
    const before = scenario.session.getState().sessionId;
    scenario.sim.serverUp();
    scenario.session.connect().catch(() => {});
    await scenario.advance(latencyMs);
    await expectStates('reconnected', 'hidden', 'connected')(ctx);
    await expect(scenario.session.getState()).toMatchObject({ sessionId: before, lastConnect: 'resumed' });
  },
};

export const SessionLost: Story = {
  args: { caption: 'connect() after the window: a new session; anything bound to the old one (a call) is gone.' },
  loaders: [
    async () => {
      const scenario = await failed();
      await scenario.advance(300_000);
      return { scenario };
    },
  ],
  render,
  play: async (ctx) => {
    const { scenario } = ctx.loaded as Loaded;
    await expect(ctx.canvasElement.textContent).toContain('Reconnecting will start a new session.');
    scenario.sim.serverUp();
    scenario.session.connect().catch(() => {});
    await scenario.advance(latencyMs);
    await expectStates('session-lost', 'hidden', 'connected')(ctx);
    await expect(ctx.canvasElement.querySelector('[role="alert"]')?.textContent).toContain('new one was started');
  },
};

export const TokenExpired: Story = {
  args: {
    caption: 'The server said TOKEN_EXPIRED: no automatic attempts; refresh inside the window.',
    refreshable: true,
  },
  loaders: [
    async () => {
      const scenario = await startScenario();
      scenario.sim.expireToken();
      await scenario.advance(20_000);
      return { scenario };
    },
  ],
  render,
  play: async (ctx) => {
    await expectStates('hidden', 'expired', 'disconnected')(ctx);
    await expect(ctx.canvasElement.textContent).toContain('Refresh within 4:40');
  },
};

export const TokenExpiringSoon: Story = {
  args: { caption: 'Inside tokenExpiringMs (2 min) of the token’s exp.', refreshable: true },
  loaders: [
    async () => {
      const scenario = await startScenario({ ttlSeconds: 600 });
      await scenario.advance(500_000);
      return { scenario };
    },
  ],
  render,
  play: async (ctx) => {
    await expectStates('hidden', 'expiring', 'connected')(ctx);
    await expect(ctx.canvasElement.textContent).toContain('expires in 1:40');
  },
};

export const Refreshing: Story = {
  args: { caption: 'fetchToken() in flight.' },
  loaders: [
    async () => {
      const scenario = await startScenario({
        ttlSeconds: 600,
        options: { fetchToken: () => new Promise<string>(() => {}) },
      });
      await scenario.advance(500_000);
      scenario.session.refreshToken().catch(() => {});
      await scenario.advance(0);
      return { scenario };
    },
  ],
  render,
  play: expectStates('hidden', 'refreshing', 'connected'),
};

export const Offline: Story = {
  args: { caption: 'The browser reports offline; the next attempt starts as soon as it is back.' },
  loaders: [
    async () => {
      const scenario = await startScenario();
      scenario.network.set(false);
      scenario.sim.serverDown();
      await scenario.advance(500);
      return { scenario };
    },
  ],
  render,
  play: expectStates('offline', 'hidden', 'offline'),
};

export const LoginFailed: Story = {
  args: { caption: 'The server refused the token at login (error:client:login_failed): no retries.' },
  loaders: [async () => ({ scenario: await startScenario({ rejectLogin: true }) })],
  render,
  play: async (ctx) => {
    await expectStates('login-failed', 'hidden', 'disconnected')(ctx);
    await expect(ctx.canvasElement.querySelector('[role="alert"]')?.textContent).toContain('Sign-in failed');
  },
};
