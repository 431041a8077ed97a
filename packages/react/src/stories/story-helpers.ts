/** Shared bits of the component stories: the moment control and the wait before assertions. */
import type { ArgTypes } from '@storybook/react-vite';
import type { MomentName } from './moments.js';
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

/** The scenario of a story, once its after-mount step has run and React has rendered it. */
export async function settled(loaded: Record<string, unknown>): Promise<Scenario> {
  const { scenario } = loaded as { scenario: Scenario };
  await scenario.ready;
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
