/**
 * TokenRefreshPrompt over a real simulated session: the `moment` control drives the session, the
 * `onRefresh` control picks how the app gets a new token. Each play function checks the prompt.
 */
import { makeTestToken } from '@nexmo-session/core/testing';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { MomentName } from '../../stories/moments.js';
import { loadMoment } from '../../stories/moments.js';
import { latencyMs, T0 } from '../../stories/scenario.js';
import { withScenario } from '../../stories/scenario-provider.js';
import { momentArgType, option, settled, stateOf } from '../../stories/story-helpers.js';
import type { TokenPromptView, TokenRefreshPromptProps } from './token-refresh-prompt.js';
import { TokenRefreshPrompt } from './token-refresh-prompt.js';

type Args = TokenRefreshPromptProps & { moment: MomentName };

/** What the app's token endpoint would return: a token valid for a day from the story's clock. */
const freshToken = async () => makeTestToken({ sub: 'alice', exp: Math.floor(T0 / 1000) + 86_400 });
const failingRefresh = async (): Promise<string> => {
  throw new Error('The token endpoint is unreachable.');
};

const compactView = (view: TokenPromptView) =>
  view.state === 'hidden' ? null : (
    <p className="story-compact-prompt">
      Sign-in: {view.state}{' '}
      {view.canRefresh ? (
        <button type="button" className="nxs-button" onClick={view.refresh}>
          Renew
        </button>
      ) : null}
    </p>
  );

const meta = {
  title: 'Components/TokenRefreshPrompt',
  component: TokenRefreshPrompt,
  tags: ['autodocs'],
  // Function props with a radio control: args hold the option's key, `mapping` turns it into the function.
  args: { moment: 'tokenExpiring', onRefresh: option('works') },
  argTypes: {
    ...momentArgType,
    messages: { control: 'object' },
    onRefresh: {
      control: {
        type: 'radio',
        labels: { works: 'Returns a new token', fails: 'Rejects', none: 'Not set' },
      },
      options: ['works', 'fails', 'none'],
      mapping: { works: freshToken, fails: failingRefresh, none: undefined },
    },
    children: {
      control: { type: 'radio', labels: { default: 'Default markup', compact: 'Custom (render prop)' } },
      options: ['default', 'compact'],
      mapping: { default: undefined, compact: compactView },
    },
    onRefreshClick: { action: 'refresh click' },
  },
  loaders: [loadMoment],
  decorators: [withScenario],
  render: ({ moment: _moment, ...props }) => <TokenRefreshPrompt {...props} />,
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

const prompt = (canvas: HTMLElement) => stateOf(canvas, '.nxs-token-prompt');

export const Expiring: Story = {
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await expect(prompt(canvasElement)).toBe('expiring');
    await expect(canvasElement.textContent).toContain('expires in 1:40');
    await userEvent.click(within(canvasElement).getByRole('button'));
    await scenario.advance(latencyMs);
    await expect(prompt(canvasElement)).toBe('hidden');
    await expect(scenario.session.getState().tokenStatus).toBe('valid');
  },
};

export const RefreshFails: Story = {
  args: { onRefresh: option('fails') },
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await userEvent.click(within(canvasElement).getByRole('button'));
    await scenario.settle();
    await expect(prompt(canvasElement)).toBe('refresh-failed');
    await expect(within(canvasElement).getByRole('alert').textContent).toBe('Could not refresh your sign-in.');
  },
};

export const Refreshing: Story = {
  args: { moment: 'tokenRefreshing', onRefresh: option('none') },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(prompt(canvasElement)).toBe('refreshing');
    await expect(within(canvasElement).getByRole('status').textContent).toBe('Refreshing your sign-in…');
  },
};

/** After TOKEN_EXPIRED the button says "Sign in again": onRefresh, then `updateToken(t)` + `connect()`. */
export const Expired: Story = {
  args: { moment: 'tokenExpired' },
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await expect(prompt(canvasElement)).toBe('expired');
    await expect(canvasElement.textContent).toContain('Refresh within 4:40');
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Sign in again' }));
    await scenario.advance(latencyMs);
    await expect(scenario.session.getState().status).toBe('connected');
    await expect(prompt(canvasElement)).toBe('hidden');
  },
};

/**
 * With `fetchToken` the prompt stays out of the way while the engine refreshes by itself; it
 * shows "expiring" only once a refresh failed, and its button is the engine's `refreshToken()`.
 */
export const RefreshFailedWithFetchToken: Story = {
  name: 'fetchToken refresh failed',
  args: { moment: 'refreshFailed', onRefresh: option('none') },
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await expect(prompt(canvasElement)).toBe('expiring');
    await expect(canvasElement.textContent).toContain('expires in 0:50');
    await expect(scenario.session.getState().error?.type).toBe('error:client:fetch_token_failed');
    await expect(within(canvasElement).getByRole('button', { name: 'Stay signed in' })).toBeVisible();
  },
};

/** Connected with a fresh token: nothing to show, but the live region stays mounted. */
export const Hidden: Story = {
  args: { moment: 'connected' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(prompt(canvasElement)).toBe('hidden');
    await expect(within(canvasElement).getByRole('status')).toBeInTheDocument();
  },
};

export const Messages: Story = {
  name: 'Messages (i18n)',
  args: {
    messages: {
      expiring: ({ time }) => `Votre session expire dans ${time}.`,
      refresh: 'Rester connecté',
    },
  },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(canvasElement.textContent).toContain('Votre session expire dans 1:40.');
    await expect(within(canvasElement).getByRole('button', { name: 'Rester connecté' })).toBeVisible();
  },
};

export const RenderProp: Story = {
  name: 'Render prop',
  args: { children: option('compact') },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(canvasElement.querySelector('.story-compact-prompt')?.textContent).toContain('Sign-in: expiring');
  },
};
