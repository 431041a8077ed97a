import { createSession } from '@nexmo-session/core';
import { simulatedTransport } from '@nexmo-session/core/testing';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionBanner, ConnectionStatusBadge, SessionProvider, TokenRefreshPrompt } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

const ui = (
  <>
    <ConnectionStatusBadge />
    <ConnectionBanner />
    <TokenRefreshPrompt />
  </>
);

describe('server-side rendering', () => {
  it('renders provider + every component in Node with no window and leaves no timer', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe('undefined');
    vi.useFakeTimers();
    const html = renderToString(
      <SessionProvider url="wss://sessions.example.com/ws" fetchToken={async () => 'never-called'}>
        {ui}
      </SessionProvider>,
    );
    expect(vi.getTimerCount()).toBe(0);
    expect(html).toContain('data-state="idle"');
    expect(html).toContain('Signed out');
    expect(html).toContain('class="nxs-banner" data-state="hidden"');
    expect(html).toContain('role="status"');
    expect(html).not.toContain('role="alert"');
  });

  it('an app-owned session renders its initial state as the server snapshot', () => {
    vi.useFakeTimers();
    const session = createSession({ transport: simulatedTransport() });
    const html = renderToString(<SessionProvider session={session}>{ui}</SessionProvider>);
    expect(html).toContain('data-state="idle"');
    expect(vi.getTimerCount()).toBe(0);
    session.destroy();
  });
});
