import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { expectNoAxeViolations } from '../../../test/a11y.js';
import { makeSession, renderConnected } from '../../../test/harness.js';
import { SessionProvider } from '../../session-provider.js';
import { ConnectionBanner } from './connection-banner.js';

const banner = (container: HTMLElement) => container.querySelector('.nxs-banner') as HTMLElement;
const politeRegion = (container: HTMLElement) => container.querySelector('[role="status"]') as HTMLElement;

describe('ConnectionBanner', () => {
  it('is hidden while connected, with its polite live region already mounted and empty', async () => {
    const { container } = await renderConnected(<ConnectionBanner />);
    expect(banner(container).dataset.state).toBe('hidden');
    expect(politeRegion(container)).toHaveProperty('textContent', '');
    expect(politeRegion(container).getAttribute('aria-live')).toBe('polite');
    expect(container.querySelector('[role="alert"]')).toBeNull();
    await expectNoAxeViolations(container);
  });

  it('does not flash for a blip shorter than showAfterMs, and confirms nothing', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    act(() => sim.drop());
    await advance(500);
    expect(banner(container).dataset.state).toBe('hidden');
    act(() => session.retryNow());
    await advance(100);
    expect(session.getState().status).toBe('connected');
    await advance(2000);
    expect(banner(container).dataset.state).toBe('hidden');
    expect(politeRegion(container).textContent).toBe('');
  });

  it('shows reconnecting after showAfterMs with attempt n of 5 and a countdown, outside the live region', async () => {
    const { container, sim, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    const live = politeRegion(container);
    act(() => sim.serverDown());
    await advance(999);
    expect(banner(container).dataset.state).toBe('hidden');
    await advance(1); // 1 s: attempt 1 starts (and takes 100 ms to be refused)
    expect(banner(container).dataset.state).toBe('reconnecting');
    expect(live.textContent).toBe('Connection lost. Reconnecting (attempt 1 of 5)…');
    const countdown = container.querySelector('.nxs-banner__countdown') as HTMLElement;
    expect(countdown.textContent).toBe('Connecting…');
    expect(countdown.closest('[role="status"],[role="alert"]')).toBeNull();
    await advance(100); // refused; attempt 2 at 3.1 s
    expect(live.textContent).toBe('Connection lost. Reconnecting (attempt 2 of 5)…');
    expect(countdown.textContent).toBe('Next attempt in 2 s');
    await advance(1000);
    expect(countdown.textContent).toBe('Next attempt in 1 s');
    expect(live.textContent).toBe('Connection lost. Reconnecting (attempt 2 of 5)…');
    expect(container.querySelector('[role="alert"]')).toBeNull();
    expect(politeRegion(container)).toBe(live); // the same node: the region stays mounted
    await expectNoAxeViolations(container);
  });

  it('turns reconnecting into reconnected in one commit, never hidden in between', async () => {
    const { container, sim, clock, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    act(() => sim.serverDown());
    await advance(1500);
    expect(banner(container).dataset.state).toBe('reconnecting');
    // As in an app: no act() around the recovery, React schedules its renders on its own.
    const g = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
    const actEnvironment = g.IS_REACT_ACT_ENVIRONMENT;
    g.IS_REACT_ACT_ENVIRONMENT = false;
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((batch) => records.push(...batch));
    observer.observe(banner(container), { attributeFilter: ['data-state'], attributeOldValue: true });
    try {
      sim.serverUp();
      await clock.advanceAsync(1700); // attempt 2 at 3.1 s, accepted 100 ms later
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      g.IS_REACT_ACT_ENVIRONMENT = actEnvironment;
    }
    records.push(...observer.takeRecords());
    const states = [...records.map((r) => r.oldValue), banner(container).dataset.state];
    observer.disconnect();
    expect(states).toEqual(['reconnecting', 'reconnected']);
  });

  it('"Retry now" starts the next attempt at once, by mouse and by keyboard', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    act(() => sim.serverDown());
    await advance(1500);
    const user = userEvent.setup();
    const before = sim.attempts.length;
    await user.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(sim.attempts.length).toBe(before + 1);
    await advance(100);
    screen.getByRole('button', { name: 'Retry now' }).focus();
    await user.keyboard('{Enter}');
    expect(sim.attempts.length).toBe(before + 2);
    expect(session.getState().retryCount).toBe(3);
    expect(banner(container).dataset.state).toBe('reconnecting');
  });

  it('after reconnection_failed: an alert, the resume window countdown, and Reconnect resumes', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    const sessionId = session.getState().sessionId;
    act(() => sim.serverDown());
    await advance(32_000); // attempts at 1, 3.1, 7.2, 15.3, 31.4 s, each refused after 100 ms
    expect(banner(container).dataset.state).toBe('failed');
    expect(screen.getByRole('alert').textContent).toBe('Could not reconnect.');
    expect(container.querySelector('.nxs-banner__countdown')?.textContent).toBe(
      'Reconnect within 4:28 to keep your session and any active call.',
    ); // the window opened at the loss (0 s), five minutes minus the 32 s elapsed
    expect(politeRegion(container).textContent).toBe('');
    await expectNoAxeViolations(container);

    sim.serverUp();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Reconnect' }));
    await advance(100);
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
    expect(banner(container).dataset.state).toBe('reconnected');
    expect(politeRegion(container).textContent).toBe('Reconnected.');
    await advance(3000);
    expect(banner(container).dataset.state).toBe('hidden');
  });

  it('says the session was lost when Reconnect comes after the window', async () => {
    const { container, sim, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    act(() => sim.serverDown());
    await advance(32_000);
    await advance(300_000);
    expect(container.querySelector('.nxs-banner__countdown')?.textContent).toBe(
      'Reconnecting will start a new session.',
    );
    sim.serverUp();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await advance(100);
    expect(banner(container).dataset.state).toBe('session-lost');
    expect(screen.getByRole('alert').textContent).toMatch(/new one was started/);
    await expectNoAxeViolations(container);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(banner(container).dataset.state).toBe('hidden');
  });

  it('shows offline from the network seam', async () => {
    const { container, sim, network } = await renderConnected(<ConnectionBanner />);
    act(() => {
      sim.drop();
      network.set(false);
    });
    expect(banner(container).dataset.state).toBe('offline');
    expect(politeRegion(container).textContent).toMatch(/offline/);
    expect(container.querySelector('[role="alert"]')).toBeNull();
    await expectNoAxeViolations(container);
  });

  it('an offline notice while the socket stayed up does not make a later unseen blip "reconnected"', async () => {
    const { container, sim, network, session, advance } = await renderConnected(
      <ConnectionBanner />,
      {},
      { latencyMs: 100 },
    );
    act(() => network.set(false)); // the browser says offline; the socket is still connected
    expect(banner(container).dataset.state).toBe('offline');
    act(() => network.set(true));
    await advance(100);
    expect(session.getState().status).toBe('connected');
    expect(banner(container).dataset.state).toBe('hidden');
    act(() => sim.drop()); // a blip shorter than showAfterMs: never shown, so never confirmed
    act(() => session.retryNow());
    await advance(100);
    expect(session.getState().status).toBe('connected');
    expect(banner(container).dataset.state).toBe('hidden');
  });

  it('shows login failure as an alert', async () => {
    const { session, sim, clock, tokenFor } = makeSession();
    sim.rejectLogins();
    const { container } = render(
      <SessionProvider session={session}>
        <ConnectionBanner />
      </SessionProvider>,
    );
    await act(async () => {
      session.login(tokenFor()).catch(() => {});
      await clock.advanceAsync(0);
    });
    expect(banner(container).dataset.state).toBe('login-failed');
    expect(screen.getByRole('alert').textContent).toMatch(/Sign-in failed/);
    await expectNoAxeViolations(container);
  });

  it('takes messages for every string and a render prop for full control', async () => {
    const { container, sim, advance } = await renderConnected(
      <ConnectionBanner messages={{ reconnecting: ({ attempt }) => `Verbindung… Versuch ${attempt}` }}>
        {(view) => <span data-testid="custom">{`${view.state}:${view.attempt}/${view.maxRetries}`}</span>}
      </ConnectionBanner>,
      {},
      { latencyMs: 100 },
    );
    act(() => sim.serverDown());
    await advance(1000);
    expect(politeRegion(container).textContent).toBe('Verbindung… Versuch 1');
    expect(screen.getByTestId('custom').textContent).toBe('reconnecting:1/5');
    await advance(100);
    expect(screen.getByTestId('custom').textContent).toBe('reconnecting:2/5');
  });

  it('a consumer handler can preventDefault() the built-in action', async () => {
    const onRetryNow = vi.fn((e: { preventDefault(): void }) => e.preventDefault());
    const { sim, advance } = await renderConnected(
      <ConnectionBanner onRetryNow={onRetryNow} />,
      {},
      { latencyMs: 100 },
    );
    act(() => sim.serverDown());
    await advance(1500);
    const before = sim.attempts.length;
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    expect(onRetryNow).toHaveBeenCalledOnce();
    expect(sim.attempts.length).toBe(before);
  });
});
