/**
 * One full outage on a timeline: loss, five attempts, failure, manual Reconnect, resume. The play
 * function moves the session's clock step by step (pausing between steps so you can watch it in
 * Storybook) and checks the banner at each step.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import type { Scenario } from './scenario.js';
import { latencyMs, ScenarioFrame, startScenario, stateOf } from './scenario.js';

const meta: Meta = { title: 'Session/Outage timeline' };
export default meta;

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
    const attemptStartsMs = [1000, 3100, 7200, 15300, 31400];
    for (const [i, startMs] of attemptStartsMs.entries()) {
      await step(`attempt ${i + 1} of 5`, async () => {
        await scenario.advance(
          startMs + latencyMs / 2 - scenario.clock.now() + scenario.session.getState().connectionLostAt!,
        );
        await expect(banner()).toBe('reconnecting');
        await expect(text()).toContain(`attempt ${i + 1} of 5`);
        await pause(150);
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
    await step('the confirmation hides itself', async () => {
      await pause(50); // let React run the effect that arms the hide timer (effects run in a macrotask)
      await scenario.advance(3000);
      // A state update from a timer renders in a scheduler task, not a microtask: wait for it.
      await waitFor(() => expect(banner()).toBe('hidden'));
    });
  },
};
