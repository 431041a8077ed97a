import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, userEvent, within } from 'storybook/test';
import type { MomentName } from './moments.js';
import { loadMoment } from './moments.js';
import { ChatLog } from './recipes/chat-log.js';
import chatLogSource from './recipes/chat-log.tsx?raw';
import { NextAttempt } from './recipes/next-attempt.js';
import nextAttemptSource from './recipes/next-attempt.tsx?raw';
import { RetryProgress } from './recipes/retry-progress.js';
import retryProgressSource from './recipes/retry-progress.tsx?raw';
import { SendButton } from './recipes/send-button.js';
import sendButtonSource from './recipes/send-button.tsx?raw';
import { TokenClock } from './recipes/token-clock.js';
import tokenClockSource from './recipes/token-clock.tsx?raw';
import type { Scenario } from './scenario.js';
import { latencyMs } from './scenario.js';
import { ScenarioProvider } from './scenario-provider.js';
import { momentArgType, settled } from './story-helpers.js';

interface Args {
  moment: MomentName;
}

/**
 * Hook recipes: small components built on the hooks, each over a real simulated session. The
 * code shown under each story is the recipe's file (packages/react/src/stories/recipes/).
 */
const meta = {
  title: 'Guides/Hooks',
  tags: ['autodocs'],
  args: { moment: 'connected' },
  argTypes: momentArgType,
  loaders: [loadMoment],
  parameters: { docs: { canvas: { sourceState: 'shown' } } }, // the recipe's code is the point
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

function recipe(source: string, element: ReactNode, moment: MomentName): Pick<Story, 'args' | 'render' | 'parameters'> {
  return {
    args: { moment },
    render: (_args, { loaded }) => (
      <ScenarioProvider scenario={(loaded as { scenario: Scenario }).scenario}>{element}</ScenarioProvider>
    ),
    parameters: { docs: { source: { code: source, language: 'tsx' } } },
  };
}

/** `useNexmoSession(selector, isEqual)`: a slice of the store. */
export const Selector: Story = {
  name: 'useNexmoSession with a selector',
  ...recipe(retryProgressSource, <RetryProgress />, 'waitingForAttempt3'),
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(canvasElement.textContent).toContain('2 of 5 attempts made');
    await expect(within(canvasElement).getByRole('progressbar')).toHaveAttribute('value', '2');
  },
};

/** `useConnectionStatus()` with `useSessionActions().send`: messages wait in the outbox. */
export const ConnectionStatus: Story = {
  name: 'useConnectionStatus',
  ...recipe(sendButtonSource, <SendButton />, 'failed'),
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Send when reconnected' }));
    await scenario.settle();
    await expect(canvasElement.textContent).toContain('1 waiting to be sent');
    scenario.sim.serverUp();
    scenario.session.connect().catch(() => {});
    await scenario.advance(2 * latencyMs);
    await expect(canvasElement.textContent).toContain('Nothing waiting');
    await expect(scenario.sim.received.map((m) => m.body)).toEqual([{ text: 'hello' }]);
  },
};

/** `useTokenExpiry()` with `useCountdown`: the token's status and time left. */
export const TokenExpiry: Story = {
  name: 'useTokenExpiry',
  ...recipe(tokenClockSource, <TokenClock />, 'tokenExpiring'),
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await expect(canvasElement.textContent).toContain('Token: expiring, 1 min 40 s left');
    await scenario.advance(10_000);
    await expect(canvasElement.textContent).toContain('1 min 30 s left');
  },
};

/** `useSessionEvent(name, handler)`: the latest handler, subscribed once. */
export const SessionEvent: Story = {
  name: 'useSessionEvent',
  ...recipe(chatLogSource, <ChatLog />, 'connected'),
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    scenario.sim.push({ text: 'hi alice' }, 'bob');
    scenario.sim.push({ text: 'are you there?' }, 'bob');
    await scenario.advance(latencyMs);
    const items = within(canvasElement)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    await expect(items).toEqual(['#1 bob: {"text":"hi alice"}', '#2 bob: {"text":"are you there?"}']);
  },
};

/** `useCountdown(targetMs)`: whole seconds left, ticking in the component that shows them. */
export const Countdown: Story = {
  name: 'useCountdown',
  ...recipe(nextAttemptSource, <NextAttempt />, 'waitingForAttempt3'),
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await expect(canvasElement.textContent).toBe('Trying again in 4 s');
    await scenario.advance(1000);
    await expect(canvasElement.textContent).toBe('Trying again in 3 s');
  },
};
