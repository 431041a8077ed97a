/** Shared bits of the component stories: the moment control and the wait before assertions. */
import type { ArgTypes } from '@storybook/react-vite';
import type { MomentName, NoticeArgs } from './moments.js';
import { momentNames, moments } from './moments.js';
import type { Scenario } from './scenario.js';

/** The `moment` control: it drives the simulated session; it is not a prop of the component. */
export const momentArgType: ArgTypes<{ moment: MomentName }> = {
  moment: {
    description:
      'Story control, not a prop: the moment of a real simulated session (simulatedTransport + manualClock) to show.',
    control: { type: 'select', labels: Object.fromEntries(momentNames.map((n) => [n, moments[n].label])) },
    options: momentNames,
    table: { category: 'Story' },
  },
};

/**
 * The session's `notices` options as controls: the banner renders `store.notice`, and core owns
 * its timing. Changing one re-runs the loader, which makes the story's session with it.
 */
export const noticeArgTypes: ArgTypes<NoticeArgs> = {
  showAfterMs: {
    description:
      'Session option `notices.showAfterMs`, not a prop: an outage shows after this long (blips never do). Default 1000.',
    control: { type: 'number', min: 0, step: 100 },
    table: { category: 'Session options' },
  },
  reconnectedMs: {
    description: 'Session option `notices.reconnectedMs`, not a prop: how long "reconnected" stays. Default 3000.',
    control: { type: 'number', min: 100, step: 500 },
    table: { category: 'Session options' },
  },
};

/** The scenario of a story, once React has rendered it. */
export async function settled(loaded: Record<string, unknown>): Promise<Scenario> {
  const { scenario } = loaded as { scenario: Scenario };
  await scenario.settle();
  return scenario;
}

export const stateOf = (canvas: HTMLElement, selector: string) =>
  canvas.querySelector(selector)?.getAttribute('data-state') ?? null;

/**
 * The key of a control option whose value is a function (mapped by `argTypes[…].mapping`): args
 * hold the key, so the control shows it selected; Storybook passes the mapped function.
 */
export const option = <T>(key: string): T => key as unknown as T;
