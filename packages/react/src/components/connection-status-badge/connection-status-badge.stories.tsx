/** ConnectionStatusBadge in each state, over a real simulated session (the `moment` control). */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import type { MomentName } from '../../stories/moments.js';
import { loadMoment } from '../../stories/moments.js';
import { withScenario } from '../../stories/scenario-provider.js';
import { momentArgType, settled, stateOf } from '../../stories/story-helpers.js';
import type { ConnectionStatusBadgeProps } from './connection-status-badge.js';
import { ConnectionStatusBadge } from './connection-status-badge.js';

type Args = ConnectionStatusBadgeProps & { moment: MomentName };

const meta = {
  title: 'Components/ConnectionStatusBadge',
  component: ConnectionStatusBadge,
  tags: ['autodocs'],
  args: { moment: 'connected' },
  argTypes: { ...momentArgType, messages: { control: 'object' } },
  loaders: [loadMoment],
  decorators: [withScenario],
  render: ({ moment: _moment, ...props }) => <ConnectionStatusBadge {...props} />,
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

function showing(state: string, label: string): Story['play'] {
  return async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(stateOf(canvasElement, '.nxs-badge')).toBe(state);
    await expect(canvasElement.querySelector('.nxs-badge__label')?.textContent).toBe(label);
  };
}

export const Connected: Story = { play: showing('connected', 'Connected') };
export const Connecting: Story = { args: { moment: 'connecting' }, play: showing('connecting', 'Connecting') };
export const Reconnecting: Story = {
  args: { moment: 'waitingForAttempt3' },
  play: showing('reconnecting', 'Reconnecting'),
};
export const Offline: Story = { args: { moment: 'offline' }, play: showing('offline', 'Offline') };
export const Disconnected: Story = { args: { moment: 'failed' }, play: showing('disconnected', 'Disconnected') };
export const SignedOut: Story = { args: { moment: 'signedOut' }, play: showing('idle', 'Signed out') };

export const Messages: Story = {
  name: 'Messages (i18n)',
  args: { moment: 'waitingForAttempt3', messages: { reconnecting: 'Wird neu verbunden' } },
  play: showing('reconnecting', 'Wird neu verbunden'),
};
