import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { expectNoAxeViolations } from '../../../test/a11y.js';
import { makeSession, renderConnected } from '../../../test/harness.js';
import { SessionProvider } from '../../session-provider.js';
import { ConnectionBanner } from './connection-banner.js';

const banner = (container: HTMLElement) => container.querySelector('.nxs-banner') as HTMLElement;
const politeRegion = (container: HTMLElement) => container.querySelector('[role="status"]') as HTMLElement;
const countdown = (container: HTMLElement) => container.querySelector('.nxs-banner__countdown')?.textContent ?? null;

/** Every `reconnecting(n)` the session emits, in order. */
function attemptsSeen(session: { on(name: 'reconnecting', fn: (n: number) => void): () => void }) {
  const seen: number[] = [];
  session.on('reconnecting', (n) => seen.push(n));
  return seen;
}

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

  it('says "attempt n of 5" while attempt n runs and "waiting for attempt n" before it, outside the countdown', async () => {
    const { container, sim, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    const live = politeRegion(container);
    act(() => sim.serverDown());
    await advance(999);
    expect(banner(container).dataset.state).toBe('hidden');
    await advance(1); // 1 s: the outage shows, and attempt 1 starts (refused 100 ms later)
    expect(banner(container).dataset.state).toBe('reconnecting');
    expect(live.textContent).toBe('Connection lost. Reconnecting (attempt 1 of 5)…');
    expect(countdown(container)).toBe('Connecting…');
    await advance(100); // refused; attempt 2 at 3.1 s
    expect(live.textContent).toBe('Connection lost. Waiting for attempt 2 of 5.');
    expect(countdown(container)).toBe('Attempt 2 in 2 s');
    await advance(1000);
    expect(countdown(container)).toBe('Attempt 2 in 1 s');
    expect(live.textContent).toBe('Connection lost. Waiting for attempt 2 of 5.'); // ticks are not announced
    const countdownNode = container.querySelector('.nxs-banner__countdown') as HTMLElement;
    expect(countdownNode.closest('[role="status"],[role="alert"]')).toBeNull();
    await advance(1000); // 3.1 s: attempt 2 runs
    expect(live.textContent).toBe('Connection lost. Reconnecting (attempt 2 of 5)…');
    expect(container.querySelector('[role="alert"]')).toBeNull();
    expect(politeRegion(container)).toBe(live); // the same node: the region stays mounted
    await expectNoAxeViolations(container);
  });

  // The first banner said "attempt 2 of 5" while the store's retryCount and `reconnecting` said 1.
  it('numbers every moment of a full cycle as the store and the reconnecting(n) event do', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    const events = attemptsSeen(session);
    act(() => sim.serverDown());
    const checked = { running: new Set<number>(), waiting: new Set<number>() };
    for (let t = 0; t < 32_000; t += 50) {
      await advance(50);
      const text = politeRegion(container).textContent ?? '';
      const { retryCount } = session.getState();
      const running = /Reconnecting \(attempt (\d) of 5\)/.exec(text);
      const waiting = /Waiting for attempt (\d) of 5/.exec(text);
      if (running) {
        const n = Number(running[1]);
        expect([n, n]).toEqual([retryCount, events.at(-1)]);
        checked.running.add(n);
      }
      if (waiting) {
        const n = Number(waiting[1]);
        expect([n - 1, n - 1]).toEqual([retryCount, events.at(-1) ?? 0]);
        expect(countdown(container)).toMatch(new RegExp(`^(Attempt ${n} in \\d+ s|Connecting…)$`));
        checked.waiting.add(n);
      }
    }
    expect(banner(container).dataset.state).toBe('failed');
    expect([...checked.running]).toEqual([1, 2, 3, 4, 5]);
    expect([...checked.waiting]).toEqual([2, 3, 4, 5]);
    expect(events).toEqual([1, 2, 3, 4, 5]);
  });

  // The first banner's "Retry now" used up an attempt.
  it('"Retry now" starts the attempt waited for, at no extra cost: still five attempts, on the same schedule', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    const events = attemptsSeen(session);
    act(() => sim.serverDown());
    await advance(1500); // attempt 1 refused at 1.1 s; waiting for attempt 2 (due at 3.1 s)
    expect(politeRegion(container).textContent).toBe('Connection lost. Waiting for attempt 2 of 5.');
    const before = sim.attempts.length;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry now' }));
    expect(sim.attempts.length).toBe(before + 1);
    expect(sim.attempts.at(-1)).toMatchObject({ kind: 'auto', attempt: 2 });
    expect(events).toEqual([1, 2]);
    expect(session.getState().retryCount).toBe(2);
    expect(politeRegion(container).textContent).toBe('Connection lost. Reconnecting (attempt 2 of 5)…');
    await advance(100); // refused at 1.6 s: attempt 3 after its own 4 s delay
    expect(session.getState().nextRetryAt).toBe(session.clock.now() + 4000);
    expect(politeRegion(container).textContent).toBe('Connection lost. Waiting for attempt 3 of 5.');
    await advance(30_000);
    expect(banner(container).dataset.state).toBe('failed');
    expect(events).toEqual([1, 2, 3, 4, 5]);
    expect(sim.attempts.filter((a) => a.kind === 'auto')).toHaveLength(5);
  });

  it('"Retry now" by keyboard keeps focus on the button, which does nothing while the attempt runs', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    act(() => sim.serverDown());
    await advance(1500);
    const user = userEvent.setup();
    const button = screen.getByRole('button', { name: 'Retry now' });
    button.focus();
    await user.keyboard('{Enter}');
    expect(session.getState().retryCount).toBe(2);
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    const before = sim.attempts.length;
    await user.keyboard('{Enter}');
    expect(sim.attempts.length).toBe(before);
    await advance(100); // refused: waiting for attempt 3, the button works again
    expect(button.getAttribute('aria-disabled')).toBeNull();
    await user.keyboard('{Enter}');
    expect(session.getState().retryCount).toBe(3);
    expect(banner(container).dataset.state).toBe('reconnecting');
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

  it('after reconnection_failed: an alert, the resume window countdown, and Reconnect resumes', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    const sessionId = session.getState().sessionId;
    act(() => sim.serverDown());
    await advance(32_000); // attempts at 1, 3.1, 7.2, 15.3, 31.4 s, each refused after 100 ms
    expect(banner(container).dataset.state).toBe('failed');
    expect(screen.getByRole('alert').textContent).toBe('Could not reconnect.');
    expect(countdown(container)).toBe('Reconnect within 4:28 to keep your session and any active call.'); // the window opened at the loss (0 s), five minutes minus the 32 s elapsed
    expect(politeRegion(container).textContent).toBe('');
    await expectNoAxeViolations(container);

    sim.serverUp();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Reconnect' }));
    expect(politeRegion(container).textContent).toBe('Connection lost. Reconnecting…'); // connect(): no attempt number
    await advance(100);
    expect(session.getState()).toMatchObject({ status: 'connected', sessionId, lastConnect: 'resumed' });
    expect(banner(container).dataset.state).toBe('reconnected');
    expect(politeRegion(container).textContent).toBe('Reconnected.');
    await advance(2999);
    expect(banner(container).dataset.state).toBe('reconnected');
    await advance(1); // notices.reconnectedMs (3000) later
    expect(banner(container).dataset.state).toBe('hidden');
  });

  it('says the session was lost when Reconnect comes after the window; Dismiss clears it in the session', async () => {
    const { container, sim, session, advance } = await renderConnected(<ConnectionBanner />, {}, { latencyMs: 100 });
    act(() => sim.serverDown());
    await advance(32_000);
    await advance(300_000);
    expect(countdown(container)).toBe('Reconnecting will start a new session.');
    sim.serverUp();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await advance(100);
    expect(banner(container).dataset.state).toBe('session-lost');
    expect(screen.getByRole('alert').textContent).toMatch(/new one was started/);
    await expectNoAxeViolations(container);
    await advance(60_000);
    expect(banner(container).dataset.state).toBe('session-lost'); // stays until dismissed
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(session.getState().notice).toBeNull();
    expect(banner(container).dataset.state).toBe('hidden');
  });

  it('shows offline from the network seam, with no attempt spent', async () => {
    const { container, sim, network, session, advance } = await renderConnected(<ConnectionBanner />);
    act(() => {
      sim.drop();
      network.set(false);
    });
    expect(banner(container).dataset.state).toBe('offline');
    expect(politeRegion(container).textContent).toMatch(/offline/);
    expect(container.querySelector('[role="alert"]')).toBeNull();
    await advance(10_000);
    expect(session.getState().retryCount).toBe(0);
    await expectNoAxeViolations(container);
  });

  it('an offline notice while the socket stayed up does not make a later unseen blip "reconnected"', async () => {
    const { container, sim, network, session, advance } = await renderConnected(
      <ConnectionBanner />,
      {},
      { latencyMs: 100 },
    );
    act(() => network.set(false)); // the browser says offline; the socket is still connected
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

  it("follows the session's notices options: showAfterMs 0 shows a blip, reconnectedMs sets the confirmation", async () => {
    const { container, sim, session, advance } = await renderConnected(
      <ConnectionBanner />,
      { notices: { showAfterMs: 0, reconnectedMs: 500 } },
      { latencyMs: 100 },
    );
    act(() => sim.drop());
    expect(banner(container).dataset.state).toBe('reconnecting');
    expect(politeRegion(container).textContent).toBe('Connection lost. Waiting for attempt 1 of 5.');
    act(() => session.retryNow());
    await advance(100);
    expect(banner(container).dataset.state).toBe('reconnected');
    await advance(500);
    expect(banner(container).dataset.state).toBe('hidden');
  });

  it('takes messages for every string and a render prop for full control', async () => {
    const { container, sim, advance } = await renderConnected(
      <ConnectionBanner
        messages={{
          reconnecting: ({ attempt }) => `Verbindung… Versuch ${attempt}`,
          waiting: ({ attempt }) => `Warte auf Versuch ${attempt}`,
        }}
      >
        {(view) => <span data-testid="custom">{`${view.state}:${view.phase}:${view.attempt}/${view.maxRetries}`}</span>}
      </ConnectionBanner>,
      {},
      { latencyMs: 100 },
    );
    act(() => sim.serverDown());
    await advance(1000);
    expect(politeRegion(container).textContent).toBe('Verbindung… Versuch 1');
    expect(screen.getByTestId('custom').textContent).toBe('reconnecting:trying:1/5');
    await advance(100);
    expect(politeRegion(container).textContent).toBe('Warte auf Versuch 2');
    expect(screen.getByTestId('custom').textContent).toBe('reconnecting:waiting:2/5');
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
