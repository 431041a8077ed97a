/**
 * ConnectionBanner over a real simulated session: the `moment` control drives the session, and
 * `showAfterMs` / `reconnectedMs` are the session's `notices` options (core decides when a notice
 * shows); every other control is a prop. Each story's play function checks what the banner shows.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { MomentName, NoticeArgs } from '../../stories/moments.js';
import { loadMoment } from '../../stories/moments.js';
import { withScenario } from '../../stories/scenario-provider.js';
import { momentArgType, noticeArgTypes, option, settled, stateOf } from '../../stories/story-helpers.js';
import type { BannerView, ConnectionBannerProps } from './connection-banner.js';
import { ConnectionBanner } from './connection-banner.js';

type Args = ConnectionBannerProps & NoticeArgs & { moment: MomentName };

/** A render prop that replaces the visible part with one line (the live region stays the banner's). */
const compactView = (view: BannerView) =>
  view.state === 'reconnecting' ? (
    <p className="story-compact-banner">
      Link down · {view.phase === 'waiting' ? 'next try' : 'trying'} {view.attempt}/{view.maxRetries}{' '}
      <button type="button" className="nxs-button" onClick={view.retryNow}>
        Now
      </button>
    </p>
  ) : null;

const meta = {
  title: 'Components/ConnectionBanner',
  component: ConnectionBanner,
  tags: ['autodocs'],
  args: { moment: 'waitingForAttempt3', showAfterMs: 1000, reconnectedMs: 3000 },
  argTypes: {
    ...momentArgType,
    ...noticeArgTypes,
    messages: { control: 'object' },
    children: {
      control: { type: 'radio', labels: { default: 'Default markup', compact: 'Custom (render prop)' } },
      options: ['default', 'compact'],
      mapping: { default: undefined, compact: compactView },
    },
    onRetryNow: { action: 'retry now' },
    onReconnect: { action: 'reconnect' },
  },
  loaders: [loadMoment],
  decorators: [withScenario],
  render: ({ moment: _moment, showAfterMs: _showAfterMs, reconnectedMs: _reconnectedMs, ...props }) => (
    <ConnectionBanner {...props} />
  ),
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

const banner = (canvas: HTMLElement) => stateOf(canvas, '.nxs-banner');

/** Waiting for attempt 3: the number of the attempt to come, and when it starts. */
export const Reconnecting: Story = {
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await expect(banner(canvasElement)).toBe('reconnecting');
    await expect(within(canvasElement).getByRole('status').textContent).toBe(
      'Connection lost. Waiting for attempt 3 of 5.',
    );
    await expect(canvasElement.textContent).toContain('Attempt 3 in 4 s');
    await expect(scenario.session.getState().retryCount).toBe(2); // attempts made so far
  },
};

/** "Retry now" starts the attempt waited for (3), not an extra one: the count stays one per attempt. */
export const RetryNow: Story = {
  name: 'Retry now',
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Retry now' }));
    await scenario.settle();
    await expect(within(canvasElement).getByRole('status').textContent).toBe(
      'Connection lost. Reconnecting (attempt 3 of 5)…',
    );
    await expect(canvasElement.textContent).toContain('Connecting…');
    await expect(scenario.sim.attempts.at(-1)).toMatchObject({ kind: 'auto', attempt: 3, outcome: 'pending' });
    await expect(scenario.session.getState().retryCount).toBe(3);
  },
};

export const AttemptRunning: Story = {
  args: { moment: 'attemptRunning' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(banner(canvasElement)).toBe('reconnecting');
    await expect(within(canvasElement).getByRole('status').textContent).toBe(
      'Connection lost. Reconnecting (attempt 2 of 5)…',
    );
    await expect(canvasElement.textContent).toContain('Connecting…');
  },
};

/** An outage shorter than the session's `notices.showAfterMs` never shows; lower it to show blips too. */
export const BlipStaysHidden: Story = {
  args: { moment: 'blip' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(banner(canvasElement)).toBe('hidden');
  },
};

export const BlipWithShowAfter0: Story = {
  name: 'Blip with showAfterMs 0',
  args: { moment: 'blip', showAfterMs: 0 },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(banner(canvasElement)).toBe('reconnecting');
  },
};

export const Failed: Story = {
  args: { moment: 'failed' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(banner(canvasElement)).toBe('failed');
    await expect(within(canvasElement).getByRole('alert').textContent).toBe('Could not reconnect.');
  },
};

export const Reconnect: Story = {
  name: 'Reconnect after failure',
  args: { moment: 'failed' },
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    scenario.sim.serverUp();
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Reconnect' }));
    await scenario.advance(100);
    await expect(banner(canvasElement)).toBe('reconnected');
    await expect(scenario.session.getState().lastConnect).toBe('resumed');
    await scenario.advance(3000); // notices.reconnectedMs
    await expect(banner(canvasElement)).toBe('hidden');
  },
};

export const Offline: Story = {
  args: { moment: 'offline' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(banner(canvasElement)).toBe('offline');
  },
};

/** A short confirmation; it hides itself after the session's `notices.reconnectedMs`. */
export const Reconnected: Story = {
  args: { moment: 'reconnected' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(banner(canvasElement)).toBe('reconnected');
    await expect(within(canvasElement).getByRole('status').textContent).toBe('Reconnected.');
  },
};

export const SessionLost: Story = {
  args: { moment: 'sessionLost' },
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    await expect(banner(canvasElement)).toBe('session-lost');
    await userEvent.click(within(canvasElement).getByRole('button', { name: 'Dismiss' }));
    await scenario.settle();
    await expect(scenario.session.getState().notice).toBeNull(); // dismissed in the session
    await expect(banner(canvasElement)).toBe('hidden');
  },
};

export const LoginFailed: Story = {
  args: { moment: 'loginFailed' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(banner(canvasElement)).toBe('login-failed');
  },
};

/** `messages` replaces any string; the functions get the numbers to place. */
export const Messages: Story = {
  name: 'Messages (i18n)',
  args: {
    messages: {
      waiting: ({ attempt, maxRetries }) => `Verbindung unterbrochen. Warte auf Versuch ${attempt} von ${maxRetries}.`,
      retryingIn: ({ attempt, seconds }) => `Versuch ${attempt} in ${seconds} s`,
      retryNow: 'Jetzt versuchen',
    },
  },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(canvasElement.textContent).toContain('Warte auf Versuch 3 von 5');
    await expect(canvasElement.textContent).toContain('Versuch 3 in 4 s');
    await expect(within(canvasElement).getByRole('button', { name: 'Jetzt versuchen' })).toBeVisible();
  },
};

/** `children` as a function takes over the visible part; the live region stays the banner's. */
export const RenderProp: Story = {
  name: 'Render prop',
  args: { children: option('compact') },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(canvasElement.querySelector('.story-compact-banner')?.textContent).toContain('next try 3/5');
    await expect(within(canvasElement).getByRole('status').textContent).toContain('attempt 3 of 5');
  },
};
