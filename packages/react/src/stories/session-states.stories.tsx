/**
 * Every documented state, each a real session frozen at one moment (see moments.ts).
 * Each story's play function asserts what it shows, so every story is also a test.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import type { Moment } from './moments.js';
import { moments, scenarioAt, waitingForAttempt } from './moments.js';
import type { Scenario } from './scenario.js';
import { stateOf } from './scenario.js';
import { ScenarioFrame } from './scenario-frame.js';

/** The snippet under each story: the kit as an app mounts it (the session is the story's). */
const kitSource = `<ConnectionStatusBadge />
<ConnectionBanner />
<TokenRefreshPrompt onRefresh={getToken} />`;

interface Loaded {
  scenario: Scenario;
}

const meta: Meta = {
  title: 'Session/States',
  parameters: { layout: 'padded', docs: { source: { code: kitSource } } },
};
export default meta;

type Story = StoryObj<{ caption: string; showAfterMs?: number; refreshable?: boolean }>;

const render: Story['render'] = (args, { loaded }) => (
  <ScenarioFrame
    scenario={(loaded as Loaded).scenario}
    caption={args.caption}
    onRefresh={args.refreshable ? async () => (loaded as Loaded).scenario.tokenFor(3600) : undefined}
  />
);

/** A story at `moment` (`showAfterMs` is the session's `notices.showAfterMs`); its play function waits for React. */
function at(moment: Moment, play: NonNullable<Story['play']>, args: Partial<Story['args']> = {}): Story {
  return {
    args: { caption: moment.label, ...args },
    loaders: [async ({ args }) => ({ scenario: await scenarioAt(moment, { showAfterMs: args.showAfterMs }) })],
    render,
    play: async (ctx) => {
      const { scenario } = ctx.loaded as Loaded;
      await scenario.settle();
      await play(ctx);
    },
  };
}

function expectStates(banner: string | null, prompt: string | null, badge: string | null): NonNullable<Story['play']> {
  return async ({ canvasElement }) => {
    await expect(stateOf(canvasElement, '.nxs-banner')).toBe(banner);
    await expect(stateOf(canvasElement, '.nxs-token-prompt')).toBe(prompt);
    await expect(stateOf(canvasElement, '.nxs-badge')).toBe(badge);
  };
}

export const Connected = at(moments.connected, expectStates('hidden', 'hidden', 'connected'));

export const ReconnectingAttempt1 = at(
  { ...moments.blip, label: 'Lost 200 ms ago, waiting for attempt 1 (showAfterMs 0 to show it this early).' },
  async (ctx) => {
    await expectStates('reconnecting', 'hidden', 'reconnecting')(ctx);
    await expect(ctx.canvasElement.textContent).toContain('Waiting for attempt 1 of 5');
    await expect(ctx.canvasElement.textContent).toContain('Attempt 1 in 1 s');
  },
  { showAfterMs: 0 },
);

function reconnectingAt(attempt: 2 | 3 | 4 | 5): Story {
  const moment = waitingForAttempt(attempt);
  return at(moment, async (ctx) => {
    await expectStates('reconnecting', 'hidden', 'reconnecting')(ctx);
    await expect(ctx.canvasElement.textContent).toContain(`Waiting for attempt ${attempt} of 5`);
    await expect(ctx.canvasElement.textContent).toContain(`Attempt ${attempt} in ${moment.seconds} s`);
    const { scenario } = ctx.loaded as Loaded;
    await expect(scenario.session.getState().retryCount).toBe(attempt - 1); // the attempts made
  });
}

export const ReconnectingAttempt2 = reconnectingAt(2);
export const ReconnectingAttempt3 = reconnectingAt(3);
export const ReconnectingAttempt4 = reconnectingAt(4);
export const ReconnectingAttempt5 = reconnectingAt(5);

export const AttemptRunning = at(moments.attemptRunning, async (ctx) => {
  await expectStates('reconnecting', 'hidden', 'reconnecting')(ctx);
  await expect(ctx.canvasElement.textContent).toContain('Reconnecting (attempt 2 of 5)');
  await expect(ctx.canvasElement.textContent).toContain('Connecting…');
});

export const Reconnected = at(moments.reconnected, expectStates('reconnected', 'hidden', 'connected'));

export const ReconnectionFailed = at(moments.failed, async (ctx) => {
  await expectStates('failed', 'hidden', 'disconnected')(ctx);
  await expect(ctx.canvasElement.querySelector('[role="alert"]')?.textContent).toBe('Could not reconnect.');
  await expect(ctx.canvasElement.textContent).toContain('Reconnect within 4:28');
});

export const Resumed = at(moments.resumed, async (ctx) => {
  const { scenario } = ctx.loaded as Loaded;
  await expectStates('reconnected', 'hidden', 'connected')(ctx);
  await expect(scenario.session.getState()).toMatchObject({ sessionId: 'sim-session-1', lastConnect: 'resumed' });
});

export const SessionLost = at(moments.sessionLost, async (ctx) => {
  const { scenario } = ctx.loaded as Loaded;
  await expectStates('session-lost', 'hidden', 'connected')(ctx);
  await expect(ctx.canvasElement.querySelector('[role="alert"]')?.textContent).toContain('new one was started');
  await expect(scenario.session.getState()).toMatchObject({ sessionId: 'sim-session-2', lastConnect: 'new' });
});

export const TokenExpired = at(
  moments.tokenExpired,
  async (ctx) => {
    await expectStates('hidden', 'expired', 'disconnected')(ctx);
    await expect(ctx.canvasElement.textContent).toContain('Refresh within 4:40');
  },
  { refreshable: true },
);

export const TokenExpiringSoon = at(
  moments.tokenExpiring,
  async (ctx) => {
    await expectStates('hidden', 'expiring', 'connected')(ctx);
    await expect(ctx.canvasElement.textContent).toContain('expires in 1:40');
  },
  { refreshable: true },
);

export const Refreshing = at(moments.tokenRefreshing, expectStates('hidden', 'refreshing', 'disconnected'));

/** With fetchToken the prompt stays hidden, unless a refresh failed. */
export const RefreshFailed = at(moments.refreshFailed, async (ctx) => {
  await expectStates('hidden', 'expiring', 'connected')(ctx);
  await expect(ctx.canvasElement.textContent).toContain('expires in 0:50');
});

export const Offline = at(moments.offline, expectStates('offline', 'hidden', 'offline'));

export const LoginFailed = at(moments.loginFailed, async (ctx) => {
  await expectStates('login-failed', 'hidden', 'disconnected')(ctx);
  await expect(ctx.canvasElement.querySelector('[role="alert"]')?.textContent).toContain('Sign-in failed');
});
