import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectionBanner } from '../src/components/connection-banner/connection-banner.js';
import {
  useConnectionStatus,
  useNexmoSession,
  useSessionActions,
  useSessionEvent,
  useTokenExpiry,
} from '../src/hooks/session-hooks.js';
import { SessionProvider } from '../src/session-provider.js';
import { makeSession, renderConnected } from './harness.js';

describe('hooks', () => {
  it('throw an error naming SessionProvider outside one', () => {
    const hooks: (() => unknown)[] = [() => useNexmoSession(), useConnectionStatus, useTokenExpiry, useSessionActions];
    for (const hook of hooks) expect(() => renderHook(hook)).toThrow(/inside <SessionProvider>/);
  });

  it('useNexmoSession(selector) has the selected type', async () => {
    const made = makeSession();
    const { result } = renderHook(
      () => {
        const retryCount: number = useNexmoSession((s) => s.retryCount);
        // @ts-expect-error retryCount is a number, not a string
        const wrong: string = useNexmoSession((s) => s.retryCount);
        return [retryCount, wrong];
      },
      { wrapper: ({ children }) => <SessionProvider session={made.session}>{children}</SessionProvider> },
    );
    expect(result.current[0]).toBe(0);
  });

  it('useSessionActions is stable across renders; useSessionEvent sees the latest handler', async () => {
    const made = makeSession();
    const seen: string[] = [];
    const { result, rerender } = renderHook(
      ({ label }: { label: string }) => {
        useSessionEvent('status', (status) => seen.push(`${label}:${status}`));
        return useSessionActions();
      },
      {
        initialProps: { label: 'a' },
        wrapper: ({ children }) => <SessionProvider session={made.session}>{children}</SessionProvider>,
      },
    );
    const first = result.current;
    rerender({ label: 'b' });
    expect(result.current).toBe(first);
    await act(async () => {
      result.current.login(made.tokenFor()).catch(() => {});
      await made.clock.advanceAsync(0);
    });
    expect(seen).toEqual(['b:connecting', 'b:connected']);
  });
});

const counts = { status: 0, retry: 0 };
function StatusOnly() {
  counts.status++;
  return <span>{useNexmoSession((s) => s.status)}</span>;
}
function RetryOnly() {
  counts.retry++;
  return <span>{useNexmoSession((s) => s.retryCount)}</span>;
}

describe('render counts', () => {
  it('a component selecting status does not re-render on retryCount, nextRetryAt or token changes', async () => {
    const made = await renderConnected(
      <>
        <StatusOnly />
        <RetryOnly />
      </>,
      { ttlSeconds: 3600 },
      { latencyMs: 100 },
    );
    const before = counts.status;
    act(() => made.sim.serverDown()); // status → reconnecting
    // Four attempts: retryCount and nextRetryAt change 8 times. A second per act(), because React 18
    // batches every update inside one act() into a single render.
    for (let s = 0; s < 16; s++) await made.advance(1000);
    expect(counts.status - before).toBe(1);
    expect(counts.retry).toBeGreaterThan(4);
    const mid = counts.status;
    act(() => made.sim.serverUp());
    await made.advance(16_000); // attempt 5 succeeds → connected
    expect(counts.status - mid).toBe(1);
    const settled = counts.status;
    const expiresBefore = made.session.getState().tokenExpiresAt as number;
    await act(async () => {
      const done = made.session.updateToken(made.tokenFor(7200)); // token fields change
      await made.clock.advanceAsync(100);
      await done;
    });
    expect(made.session.getState().tokenExpiresAt).toBeGreaterThan(expiresBefore);
    expect(counts.status).toBe(settled);
  });

  it('a countdown re-renders only its own component, not the banner', async () => {
    // The banner calls messages.reconnecting on each of its renders; only the Countdown inside
    // it calls messages.retryingIn. Counting the two tells the renders apart.
    let bannerRenders = 0;
    let countdownRenders = 0;
    const made = await renderConnected(
      <ConnectionBanner
        messages={{
          reconnecting: ({ attempt, maxRetries }) => {
            bannerRenders++;
            return `attempt ${attempt} of ${maxRetries}`;
          },
          retryingIn: ({ seconds }) => {
            countdownRenders++;
            return `in ${seconds} s`;
          },
        }}
      />,
      {},
      { latencyMs: 100 },
    );
    act(() => made.sim.serverDown());
    await made.advance(15_500); // attempt 5 is due at 31.4 s: a long countdown
    const text = () => made.container.querySelector('.nxs-banner__countdown')?.textContent;
    expect(text()).toBe('in 16 s');
    const banner0 = bannerRenders;
    const countdown0 = countdownRenders;
    // One act() per second, as real ticks arrive (inside one act React would batch them all).
    for (let i = 0; i < 10; i++) await made.advance(1000);
    expect(text()).toBe('in 6 s');
    expect(countdownRenders - countdown0).toBe(10); // once per displayed second
    expect(bannerRenders - banner0).toBe(0);
  });
});
