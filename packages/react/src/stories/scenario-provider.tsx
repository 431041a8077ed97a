/**
 * A SessionProvider for a story's scenario, plus the probe that tells the scenario when React has
 * caught up (see scenario.ts).
 */
import type { Decorator } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { SessionProvider } from '../session-provider.js';
import type { Scenario } from './scenario.js';

export function ScenarioProvider({ scenario, children }: { scenario: Scenario; children?: ReactNode }) {
  return (
    <SessionProvider session={scenario.session}>
      {children}
      {/* Last in the tree, so its effect runs after every other effect of the same commit. */}
      <SettleProbe scenario={scenario} />
    </SessionProvider>
  );
}

/**
 * The story's scenario around the story, as a decorator: "Show code" leaves decorators out, so the
 * snippet is the component and its props, not the simulated session.
 */
export const withScenario: Decorator = (Story, { loaded }) => (
  <ScenarioProvider scenario={(loaded as { scenario: Scenario }).scenario}>
    <Story />
  </ScenarioProvider>
);

function SettleProbe({ scenario }: { scenario: Scenario }) {
  const [request, setRequest] = useState(0);
  const waiting = useRef<Array<() => void>>([]);

  // A layout effect: Storybook starts the play function from a layout effect of the same commit,
  // before any passive effect (where useSyncExternalStore subscribes) has run.
  useLayoutEffect(() => {
    scenario.attachProbe(
      () =>
        new Promise<void>((resolve) => {
          waiting.current.push(resolve);
          setRequest((n) => n + 1);
        }),
    );
    return () => {
      scenario.attachProbe(null);
      for (const resolve of waiting.current.splice(0)) resolve();
    };
  }, [scenario]);

  // React runs pending passive effects before it renders again, so by the time this one runs,
  // every commit before the request has been rendered and its effects have run.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `request` is the trigger
  useEffect(() => {
    for (const resolve of waiting.current.splice(0)) resolve();
  }, [request]);

  return null;
}
