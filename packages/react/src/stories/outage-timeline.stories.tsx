/**
 * One full outage on a timeline: loss, five attempts, failure, manual Reconnect, resume. The play
 * function moves the session's clock step by step (pausing between steps so you can watch it in
 * Storybook) and checks the banner at each step.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { attemptStartsMs } from './moments.js';
import type { Scenario } from './scenario.js';
import { latencyMs, startScenario, stateOf } from './scenario.js';
import { ScenarioFrame } from './scenario-frame.js';

const meta: Meta = {
  title: 'Session/Outage timeline',
  parameters: {
    docs: {
      source: {
        code: `<ConnectionStatusBadge />
<ConnectionBanner />
<TokenRefreshPrompt onRefresh={getToken} />`,
      },
    },
  },
};
export default meta;

/** Real time between steps, only so a person watching the story can follow it. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const FullOutage: StoryObj = {
  loaders: [async () => ({ scenario: await startScenario() })],
  render: (_args, { loaded }) => (
    <ScenarioFrame
      scenario={(loaded as { scenario: Scenario }).scenario}
      caption="Loss → 5 attempts → failure → Reconnect → resumed"
    />
  ),
  play: async ({ canvasElement, loaded, step }) => {
    const { scenario } = loaded as { scenario: Scenario };
    const banner = () => stateOf(canvasElement, '.nxs-banner');
    const text = () => canvasElement.querySelector('.nxs-banner')?.textContent ?? '';
    const sessionId = scenario.session.getState().sessionId;

    await step('the server goes away: nothing shows for the first second', async () => {
      scenario.sim.serverDown();
      await scenario.advance(900);
      await expect(banner()).toBe('hidden');
    });
    for (const [i, startMs] of attemptStartsMs.entries()) {
      await step(`attempt ${i + 1} of 5`, async () => {
        const lostAt = scenario.session.getState().connectionLostAt!;
        await scenario.advance(lostAt + startMs + latencyMs / 2 - scenario.clock.now());
        await expect(banner()).toBe('reconnecting');
        await expect(text()).toContain(`Reconnecting (attempt ${i + 1} of 5)`);
        await expect(scenario.session.getState().retryCount).toBe(i + 1); // one number per attempt
        await pause(150);
        if (i + 1 < attemptStartsMs.length) {
          await scenario.advance(latencyMs); // refused: now waiting for the next one
          await expect(text()).toContain(`Waiting for attempt ${i + 2} of 5`);
        }
      });
    }
    await step('all five failed', async () => {
      await scenario.advance(latencyMs);
      await expect(banner()).toBe('failed');
      await pause(150);
    });
    await step('the server is back; the user presses Reconnect', async () => {
      scenario.sim.serverUp();
      await userEvent.click(within(canvasElement).getByRole('button', { name: 'Reconnect' }));
      await scenario.advance(latencyMs);
      await expect(banner()).toBe('reconnected');
      await expect(scenario.session.getState().sessionId).toBe(sessionId);
    });
    await step('the confirmation hides itself after 3 s', async () => {
      await scenario.advance(2900);
      await expect(banner()).toBe('reconnected');
      await scenario.advance(100);
      await expect(banner()).toBe('hidden');
    });
  },
};
