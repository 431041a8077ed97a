import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { expectNoAxeViolations } from '../../../test/a11y.js';
import { renderConnected } from '../../../test/harness.js';
import { TokenRefreshPrompt } from './token-refresh-prompt.js';

const prompt = (c: HTMLElement) => c.querySelector('.nxs-token-prompt') as HTMLElement;

describe('TokenRefreshPrompt', () => {
  it('is hidden with a valid token, live region mounted', async () => {
    const { container } = await renderConnected(<TokenRefreshPrompt />);
    expect(prompt(container).dataset.state).toBe('hidden');
    expect(container.querySelector('[role="status"]')?.textContent).toBe('');
    await expectNoAxeViolations(container);
  });

  it('expiring soon: time left, Refresh → fetchToken → refreshing → hidden', async () => {
    let release!: (t: string) => void;
    const fetchToken = vi.fn(() => new Promise<string>((r) => (release = r)));
    const { container, advance, tokenFor, session } = await renderConnected(<TokenRefreshPrompt />, {
      ttlSeconds: 600,
      fetchToken,
      tokenRefreshLeadMs: 1000, // so the automatic refresh does not fire first
    });
    await advance(480_000);
    expect(prompt(container).dataset.state).toBe('expiring');
    const countdown = container.querySelector('.nxs-token-prompt__countdown') as HTMLElement;
    expect(countdown.textContent).toBe('Your sign-in expires in 2:00.');
    await advance(5000);
    expect(countdown.textContent).toBe('Your sign-in expires in 1:55.');
    expect(countdown.closest('[role="status"],[role="alert"]')).toBeNull();
    expect(container.querySelector('[role="alert"]')).toBeNull();
    await expectNoAxeViolations(container);

    fireEvent.click(screen.getByRole('button', { name: 'Stay signed in' }));
    await advance(0);
    expect(prompt(container).dataset.state).toBe('refreshing');
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Refreshing your sign-in…');
    release(tokenFor(3600));
    await advance(0);
    expect(prompt(container).dataset.state).toBe('hidden');
    expect(fetchToken).toHaveBeenCalledOnce();
    expect(session.getState().tokenStatus).toBe('valid');
  });

  it('TOKEN_EXPIRED: an alert with the resume-window countdown; onRefresh → updateToken + connect resumes', async () => {
    const { container, sim, advance, tokenFor, session } = await renderConnected(
      <TokenRefreshPrompt onRefresh={async () => tokenFor(3600)} />,
    );
    const sessionId = session.getState().sessionId;
    act(() => sim.expireToken());
    await advance(10_000);
    expect(prompt(container).dataset.state).toBe('expired');
    expect(screen.getByRole('alert').textContent).toBe('Your sign-in expired and the connection was closed.');
    expect(container.querySelector('.nxs-token-prompt__countdown')?.textContent).toBe(
      'Refresh within 4:50 to keep your session.',
    );
    await expectNoAxeViolations(container);
    fireEvent.click(screen.getByRole('button', { name: 'Stay signed in' }));
    await advance(0);
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
    expect(prompt(container).dataset.state).toBe('hidden');
  });

  it('refresh failed: an alert and Try again', async () => {
    const onRefresh = vi.fn().mockRejectedValueOnce(new Error('auth down'));
    const { container, sim, advance, tokenFor, session } = await renderConnected(
      <TokenRefreshPrompt onRefresh={onRefresh} />,
    );
    act(() => sim.expireToken());
    await advance(0);
    fireEvent.click(screen.getByRole('button', { name: 'Stay signed in' }));
    await advance(0);
    expect(prompt(container).dataset.state).toBe('refresh-failed');
    expect(screen.getByRole('alert').textContent).toBe('Could not refresh your sign-in.');
    await expectNoAxeViolations(container);
    onRefresh.mockResolvedValueOnce(tokenFor(7200)); // a new token: the expired one is never sent again
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await advance(0);
    expect(session.getState().status).toBe('connected');
  });

  it('without fetchToken or onRefresh there is no button to press', async () => {
    const { container, sim } = await renderConnected(<TokenRefreshPrompt />);
    act(() => sim.expireToken());
    expect(prompt(container).dataset.state).toBe('expired');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
