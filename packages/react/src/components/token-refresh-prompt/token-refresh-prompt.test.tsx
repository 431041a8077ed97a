import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { expectNoAxeViolations } from '../../../test/a11y.js';
import { renderConnected } from '../../../test/harness.js';
import { TokenRefreshPrompt } from './token-refresh-prompt.js';

const prompt = (c: HTMLElement) => c.querySelector('.nxs-token-prompt') as HTMLElement;
const live = (c: HTMLElement) => c.querySelector('.nxs-token-prompt [role="status"]')?.textContent;
const countdown = (c: HTMLElement) => c.querySelector('.nxs-token-prompt__countdown')?.textContent ?? null;
const seconds = (text: string | null) => {
  const m = /(\d+):(\d\d)/.exec(text ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

describe('TokenRefreshPrompt', () => {
  it('is hidden with a valid token, live region mounted', async () => {
    const { container } = await renderConnected(<TokenRefreshPrompt />);
    expect(prompt(container).dataset.state).toBe('hidden');
    expect(live(container)).toBe('');
    await expectNoAxeViolations(container);
  });

  // The first prompt said "Your sign-in expires in 0:28 — Stay signed in" all the time, its
  // countdown jumping back at every refresh.
  it('stays out of the way while fetchToken keeps the token fresh: never shown, never "refreshing"', async () => {
    let fetches = 0;
    const made = await renderConnected(<TokenRefreshPrompt />, {
      ttlSeconds: 60, // always inside tokenExpiringMs (2 min): tokenStatus says "expiring" from the start
      fetchToken: async () => {
        fetches++;
        return made.tokenFor(60);
      },
    });
    const { container, session, advance } = made;
    const seen = new Set<string>();
    const observer = new MutationObserver(() => {
      seen.add(prompt(container).dataset.state as string);
      if (live(container)) seen.add(`live:${live(container)}`);
    });
    observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
    const statuses = new Set<string>();
    session.store.subscribe((s) => statuses.add(s.tokenStatus));
    for (let s = 0; s < 200; s++) await advance(1000);
    observer.disconnect();
    expect(fetches).toBeGreaterThanOrEqual(5); // refreshed half-way through each 60 s token
    expect([...statuses].sort()).toEqual(['expiring', 'refreshing']); // what the first prompt reacted to
    expect(seen).toEqual(new Set());
    expect(prompt(container).dataset.state).toBe('hidden');
    expect(countdown(container)).toBeNull();
  });

  it('with fetchToken, shows "expiring" once a refresh failed, counting down without jumping back; Stay signed in is refreshToken()', async () => {
    let fail = true;
    const made = await renderConnected(<TokenRefreshPrompt />, {
      ttlSeconds: 600,
      fetchToken: async () => {
        if (fail) throw new Error('token endpoint down');
        return made.tokenFor(3600);
      },
    });
    const { container, session, advance } = made;
    await advance(480_000);
    expect(prompt(container).dataset.state).toBe('hidden'); // expiring, but the engine will refresh
    await advance(60_000); // the refresh (60 s before exp) fails
    expect(session.getState().error?.type).toBe('error:client:fetch_token_failed');
    expect(prompt(container).dataset.state).toBe('expiring');
    const first = seconds(countdown(container)) as number;
    expect(first).toBe(60);
    const readings = [first];
    for (let s = 0; s < 5; s++) {
      await advance(1000); // the engine's own retries fail too (1 s, 2 s, …)
      if (prompt(container).dataset.state === 'expiring') readings.push(seconds(countdown(container)) as number);
    }
    expect(readings).toEqual([...readings].sort((a, b) => b - a)); // only ever down
    expect(container.querySelector('[role="alert"]')).toBeNull();
    await expectNoAxeViolations(container);

    fail = false;
    const refreshToken = vi.spyOn(session, 'refreshToken');
    await act(async () => {
      screen.getByRole('button', { name: 'Stay signed in' }).click();
    });
    await advance(0);
    expect(refreshToken).toHaveBeenCalledOnce();
    expect(session.getState()).toMatchObject({ tokenStatus: 'valid', error: null });
    expect(prompt(container).dataset.state).toBe('hidden');
  });

  it('without fetchToken: expiring inside tokenExpiringMs; onRefresh → updateToken → hidden', async () => {
    let release!: (t: string) => void;
    const onRefresh = vi.fn(() => new Promise<string>((r) => (release = r)));
    const { container, advance, tokenFor, session } = await renderConnected(
      <TokenRefreshPrompt onRefresh={onRefresh} />,
      { ttlSeconds: 600 },
    );
    await advance(480_000);
    expect(prompt(container).dataset.state).toBe('expiring');
    expect(countdown(container)).toBe('Your sign-in expires in 2:00.');
    await advance(5000);
    expect(countdown(container)).toBe('Your sign-in expires in 1:55.');
    const node = container.querySelector('.nxs-token-prompt__countdown') as HTMLElement;
    expect(node.closest('[role="status"],[role="alert"]')).toBeNull();
    await expectNoAxeViolations(container);

    fireEvent.click(screen.getByRole('button', { name: 'Stay signed in' }));
    await advance(0);
    expect(prompt(container).dataset.state).toBe('refreshing');
    expect(live(container)).toBe('Refreshing your sign-in…');
    release(tokenFor(3600));
    await advance(0);
    expect(prompt(container).dataset.state).toBe('hidden');
    expect(onRefresh).toHaveBeenCalledOnce();
    expect(session.getState().tokenStatus).toBe('valid');
  });

  it('TOKEN_EXPIRED without fetchToken: an alert, the window countdown, "Sign in again" → updateToken + connect resumes', async () => {
    const { container, sim, advance, tokenFor, session } = await renderConnected(
      <TokenRefreshPrompt onRefresh={async () => tokenFor(3600)} />,
    );
    const sessionId = session.getState().sessionId;
    act(() => sim.expireToken());
    await advance(10_000);
    expect(prompt(container).dataset.state).toBe('expired');
    expect(screen.getByRole('alert').textContent).toBe('Your sign-in expired and the connection was closed.');
    expect(countdown(container)).toBe('Refresh within 4:50 to keep your session.');
    expect(screen.queryByRole('button', { name: 'Stay signed in' })).toBeNull();
    await expectNoAxeViolations(container);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    await advance(0);
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
    expect(prompt(container).dataset.state).toBe('hidden');
  });

  it('TOKEN_EXPIRED with fetchToken: the engine recovers by itself; the prompt only says "refreshing"', async () => {
    let release!: (t: string) => void;
    const fetchToken = vi.fn(() => new Promise<string>((r) => (release = r)));
    const { container, sim, advance, tokenFor, session } = await renderConnected(<TokenRefreshPrompt />, {
      fetchToken,
    });
    const sessionId = session.getState().sessionId;
    act(() => sim.expireToken());
    await advance(0);
    expect(prompt(container).dataset.state).toBe('refreshing');
    expect(screen.queryByRole('button')).toBeNull(); // nothing to do: the engine is on it
    release(tokenFor(7200)); // not 3600: that would be the very token the server just expired
    await advance(0);
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
    expect(prompt(container).dataset.state).toBe('hidden');
    expect(fetchToken).toHaveBeenCalledOnce();
  });

  it('TOKEN_EXPIRED with a failing fetchToken: refresh failed; "Try again" is refreshToken(), and the engine reconnects', async () => {
    let fail = true;
    const made = await renderConnected(<TokenRefreshPrompt />, {
      fetchToken: async () => {
        if (fail) throw new Error('token endpoint down');
        return made.tokenFor(7200);
      },
    });
    const { container, sim, advance, session } = made;
    act(() => sim.expireToken());
    await advance(0);
    expect(prompt(container).dataset.state).toBe('refresh-failed');
    expect(screen.getByRole('alert').textContent).toBe('Could not refresh your sign-in.');
    await expectNoAxeViolations(container);
    fail = false;
    const refreshToken = vi.spyOn(session, 'refreshToken');
    const connect = vi.spyOn(session, 'connect');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await advance(0);
    expect(refreshToken).toHaveBeenCalledOnce();
    expect(connect).not.toHaveBeenCalled(); // the engine reconnects after TOKEN_EXPIRED by itself
    expect(session.getState()).toMatchObject({ status: 'connected', lastConnect: 'resumed' });
    expect(prompt(container).dataset.state).toBe('hidden');
  });

  it('onRefresh rejects: an alert and Try again', async () => {
    const onRefresh = vi.fn().mockRejectedValueOnce(new Error('auth down'));
    const { container, sim, advance, tokenFor, session } = await renderConnected(
      <TokenRefreshPrompt onRefresh={onRefresh} />,
    );
    act(() => sim.expireToken());
    await advance(0);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    await advance(0);
    expect(prompt(container).dataset.state).toBe('refresh-failed');
    expect(screen.getByRole('alert').textContent).toBe('Could not refresh your sign-in.');
    await expectNoAxeViolations(container);
    onRefresh.mockResolvedValueOnce(tokenFor(7200)); // a new token: the expired one is never sent again
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await advance(0);
    expect(session.getState().status).toBe('connected');
    expect(prompt(container).dataset.state).toBe('hidden');
  });

  it('without fetchToken or onRefresh there is no button to press', async () => {
    const { container, sim } = await renderConnected(<TokenRefreshPrompt />);
    act(() => sim.expireToken());
    expect(prompt(container).dataset.state).toBe('expired');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
