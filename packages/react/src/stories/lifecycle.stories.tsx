/**
 * The pictures on the Lifecycle docs page, as stories so they are checked like the rest: the
 * schedule's play function runs a real session against the simulated server and checks that the
 * attempts land where the picture says.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { LifecycleDiagram } from './lifecycle-diagram.js';
import { attemptTimesMs, RetrySchedule } from './retry-schedule.js';
import { startScenario } from './scenario.js';

// Shown on the Lifecycle page, not on their own in the sidebar ('!dev'); still tested ('test' tag).
const meta: Meta = { title: 'Docs/Lifecycle pictures', tags: ['!autodocs', '!dev'] };
export default meta;

export const StateDiagram: StoryObj = {
  render: () => <LifecycleDiagram />,
  play: async ({ canvasElement }) => {
    const labels = [...canvasElement.querySelectorAll('.lifecycle__node text')].map((t) => t.textContent);
    await expect(labels).toEqual(['idle', 'connecting', 'connected', 'reconnecting', 'disconnected']);
    // Every arrow has its row in the table (plus logout from any status).
    await expect(canvasElement.querySelectorAll('.lifecycle__table tbody tr').length).toBe(
      canvasElement.querySelectorAll('.lifecycle__edge').length + 1,
    );
  },
};

export const RetrySchedulePicture: StoryObj = {
  name: 'Retry schedule',
  render: () => <RetrySchedule />,
  play: async ({ canvasElement }) => {
    await expect(attemptTimesMs()).toEqual([1000, 3000, 7000, 15_000, 31_000]);
    await expect(canvasElement.textContent).toContain('31 s attempt 5 of 5 starts');
    // The engine agrees: a session whose attempts are refused at once starts them at these times.
    const scenario = await startScenario({ latencyMs: 0 });
    const lostAt = scenario.clock.now();
    scenario.sim.serverDown();
    await scenario.advance(40_000);
    const autoStarts = scenario.sim.attempts.filter((a) => a.kind === 'auto').map((a) => a.at - lostAt);
    scenario.session.destroy();
    await expect(autoStarts).toEqual(attemptTimesMs());
  },
};
