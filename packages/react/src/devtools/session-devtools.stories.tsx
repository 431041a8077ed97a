/**
 * SessionDevtools over a real simulated session. It reads core's `session.debug` (machine state,
 * outbox, token life) and `store.notice`. The fault buttons drive the simulated server;
 * the session's clock is manual, so "Advance clock" buttons in these stories stand in for time.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { MomentName } from '../stories/moments.js';
import { loadMoment } from '../stories/moments.js';
import type { Scenario } from '../stories/scenario.js';
import { latencyMs } from '../stories/scenario.js';
import { withScenario } from '../stories/scenario-provider.js';
import { momentArgType, settled } from '../stories/story-helpers.js';
import type { SessionDevtoolsProps } from './session-devtools.js';
import { SessionDevtools } from './session-devtools.js';

type Args = SessionDevtoolsProps & { moment: MomentName; withTransport: boolean };

const meta = {
  title: 'Devtools/SessionDevtools',
  component: SessionDevtools,
  tags: ['autodocs'],
  args: { moment: 'refreshable', initialIsOpen: true, position: 'inline', withTransport: true },
  argTypes: {
    ...momentArgType,
    withTransport: {
      description: 'Story control: pass the simulated transport as `transport`, for the fault buttons.',
      table: { category: 'Story' },
    },
    position: { control: 'inline-radio', options: ['fixed', 'inline'] },
    transport: { control: false },
    session: { control: false },
  },
  loaders: [loadMoment],
  decorators: [withScenario],
  parameters: {
    docs: {
      source: {
        code: `<SessionProvider session={session}>
  <App />
  <SessionDevtools initialIsOpen transport={sim} />
</SessionProvider>`,
      },
    },
  },
  render: ({ moment: _moment, withTransport, ...props }, { loaded }) => {
    const { scenario } = loaded as { scenario: Scenario };
    return (
      <>
        <p className="story-caption">
          The story’s clock is manual:{' '}
          <button type="button" className="nxs-button" onClick={() => scenario.advance(1000)}>
            Advance clock 1 s
          </button>
        </p>
        <SessionDevtools {...props} {...(withTransport ? { transport: scenario.sim } : {})} />
      </>
    );
  },
} satisfies Meta<Args>;
export default meta;
type Story = StoryObj<typeof meta>;

const timeline = (canvas: HTMLElement) =>
  [...canvas.querySelectorAll('.nxs-devtools__event')].map((li) =>
    `${li.querySelector('.nxs-devtools__event-name')?.textContent} ${li.querySelector('.nxs-devtools__event-detail')?.textContent}`.trim(),
  );
const field = (canvas: HTMLElement, name: string) =>
  canvas.querySelector(`[data-field="${name}"] td`)?.textContent ?? null;

/** Open, with fault buttons: drop the connection and watch the outage and the recovery. */
export const Open: Story = {
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    const panel = within(canvasElement).getByRole('region', { name: 'Session devtools' });
    await expect(field(canvasElement, 'status')).toBe('connected');
    await expect(within(panel).getByText('No events yet.')).toBeVisible();

    await expect(within(panel).getByTestId('machine-state').textContent).toBe('@ok.connected');

    await userEvent.click(within(panel).getByRole('button', { name: 'Drop connection' }));
    await scenario.settle();
    await expect(field(canvasElement, 'status')).toBe('reconnecting');
    await expect(within(panel).getByTestId('machine-state').textContent).toBe('@reconnecting.backoff');
    await expect(timeline(canvasElement)).toEqual(['status reconnecting', 'disconnect CONNECTION_FAILED']);

    await scenario.advance(1000 + latencyMs);
    await expect(field(canvasElement, 'status')).toBe('connected');
    await expect(timeline(canvasElement).slice(0, 4)).toEqual([
      'status connected',
      'session:resumed sim-session-1',
      'reconnect',
      'reconnecting 1',
    ]);
    await expect(canvasElement.querySelector('.nxs-devtools__time')?.textContent).toBe('+1.100 s');
  },
};

/** The token bar: seen → refresh (fetchToken is set) → expiring → expiry, and where "now" is. */
export const TokenLife: Story = {
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    const legend = [...canvasElement.querySelectorAll('.nxs-devtools__legend li')].map((li) =>
      li.getAttribute('data-kind'),
    );
    await expect(legend).toEqual(['start', 'refresh', 'expiring', 'expiry']);
    await expect(canvasElement.querySelector('.nxs-devtools__legend [data-kind="expiry"]')?.textContent).toContain(
      'in 8 min 20 s',
    );
  },
};

/** Every fault button the simulated transport offers, and the outbox while the server is down. */
export const Faults: Story = {
  play: async ({ canvasElement, loaded }) => {
    const scenario = await settled(loaded);
    const panel = within(canvasElement).getByRole('region', { name: 'Session devtools' });
    const buttons = within(panel)
      .getAllByRole('button')
      .map((b) => b.getAttribute('data-fault'))
      .filter(Boolean);
    await expect(buttons).toEqual([
      'drop',
      'serverDown',
      'serverUp',
      'refuseAttempts',
      'rejectLogins',
      'expireToken',
      'forgetSessions',
      'push',
    ]);
    await userEvent.click(within(panel).getByRole('button', { name: 'Push event' }));
    await scenario.advance(latencyMs);
    await expect(timeline(canvasElement)[0]).toBe('message #1 from devtools: {"text":"event 1 from devtools"}');

    await userEvent.click(within(panel).getByRole('button', { name: 'Server down' }));
    await expect(within(panel).getByText('Simulated server: down')).toBeVisible();
    scenario.session.send({ text: 'queued' }).catch(() => {});
    await scenario.settle();
    await expect(canvasElement.querySelector('[data-testid="outbox-size"]')?.textContent).toBe('1');

    const reject = within(panel).getByRole('button', { name: 'Reject logins' });
    await userEvent.click(reject);
    await expect(reject).toHaveAttribute('aria-pressed', 'true');
  },
};

/** Closed by default: a keyboard user opens it with Enter and closes it with Escape. */
export const Keyboard: Story = {
  args: { initialIsOpen: false },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    const toggle = within(canvasElement).getByRole('button', { name: 'Session devtools' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    toggle.focus();
    await userEvent.keyboard('{Enter}');
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const panel = within(canvasElement).getByRole('region', { name: 'Session devtools' });
    await userEvent.tab(); // into the panel
    await expect(panel.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(document.activeElement).toBe(toggle);
  },
};

/** Without a transport there are no fault buttons; the rest works the same. */
export const WithoutTransport: Story = {
  args: { withTransport: false },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    await expect(canvasElement.querySelector('[data-fault]')).toBeNull();
    await expect(canvasElement.textContent).toContain('Pass a simulated transport');
  },
};

/** As an app mounts it: a button in the corner of the page, the panel along the bottom. */
export const Fixed: Story = {
  tags: ['!autodocs'], // fixed to the viewport: it would cover the docs page
  args: { position: 'fixed', initialIsOpen: false },
  parameters: { layout: 'fullscreen' },
  play: async ({ canvasElement, loaded }) => {
    await settled(loaded);
    const toggle = within(canvasElement).getByRole('button', { name: 'Session devtools' });
    await expect(getComputedStyle(toggle).position).toBe('fixed');
    await userEvent.click(toggle);
    const panel = within(canvasElement).getByRole('region', { name: 'Session devtools' });
    await expect(getComputedStyle(panel).position).toBe('fixed');
  },
};
