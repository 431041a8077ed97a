/**
 * Every story is a test: composed with the Storybook preview, rendered, its play function run.
 * The `storybook` project runs them in Chromium on React 19's production build; this file runs the
 * session stories in jsdom on React 18 as well (the `react18` project), and on React's
 * development build, whose checks (StrictMode-style warnings, act) the production build skips.
 */
import { composeStories } from '@storybook/react-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../../test/a11y.js';
import * as timeline from './outage-timeline.stories.js';
import type { Scenario } from './scenario.js';
import * as states from './session-states.stories.js';

const all = { ...composeStories(states), ...composeStories(timeline) };

// Play functions drive the session outside act(), as they do in Storybook; with the act
// environment flag on (Testing Library sets it) React would hold their effects for an act().
const actFlag = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
let previousActFlag: boolean | undefined;
beforeAll(() => {
  previousActFlag = actFlag.IS_REACT_ACT_ENVIRONMENT;
  actFlag.IS_REACT_ACT_ENVIRONMENT = false;
});
afterAll(() => {
  actFlag.IS_REACT_ACT_ENVIRONMENT = previousActFlag;
});

describe('stories', () => {
  it('cover every documented state', () => {
    expect(Object.keys(all).sort()).toEqual(
      [
        'AttemptRunning',
        'Connected',
        'FullOutage',
        'LoginFailed',
        'Offline',
        'ReconnectingAttempt1',
        'ReconnectingAttempt2',
        'ReconnectingAttempt3',
        'ReconnectingAttempt4',
        'ReconnectingAttempt5',
        'Reconnected',
        'ReconnectionFailed',
        'RefreshFailed',
        'Refreshing',
        'Resumed',
        'SessionLost',
        'TokenExpired',
        'TokenExpiringSoon',
      ].sort(),
    );
  });

  it.each(Object.entries(all))('%s renders, passes its play function and axe', async (_name, Story) => {
    const canvasElement = document.createElement('div');
    document.body.appendChild(canvasElement);
    // Not inside act(): that would defer the render until after the play function.
    await Story.run({ canvasElement });
    await expectNoAxeViolations(canvasElement);
    const loaded = (Story as unknown as { loaded?: { scenario?: Scenario } }).loaded;
    loaded?.scenario?.session.destroy();
    canvasElement.remove();
  });
});
