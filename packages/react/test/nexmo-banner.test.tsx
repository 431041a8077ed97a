/**
 * ConnectionBanner through SessionProvider over the nexmo-client adapter: the real
 * nexmo-client 9.5.1 against the platform stand-in shows the reconnecting and failed states.
 */
import { createSession, manualNetwork } from '@nexmo-session/core';
import { nexmoClientTransport } from '@nexmo-session/core/nexmo-client';
import { act, render, screen } from '@testing-library/react';
import NexmoClient from 'nexmo-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestToken } from '../../core/src/testing/test-token.js';
import type { Platform } from '../../core/test/adapters/platform.js';
import { startPlatform } from '../../core/test/adapters/platform.js';
import { ConnectionBanner } from '../src/components/connection-banner/connection-banner.js';
import { SessionProvider } from '../src/session-provider.js';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform.stop();
});

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await act(() => new Promise((r) => setTimeout(r, 25)));
  }
}

describe('ConnectionBanner over nexmoClientTransport (real nexmo-client)', () => {
  it('shows reconnecting with attempt numbers, then the failed state with Reconnect', async () => {
    const client = new NexmoClient({
      url: platform.url,
      nexmo_api_url: platform.url,
      debug: 'silent',
      socket_io: { reconnectionDelay: 300, reconnectionDelayMax: 1200, randomizationFactor: 0 },
    });
    const session = createSession({
      transport: nexmoClientTransport(client),
      network: manualNetwork(true),
      notices: { showAfterMs: 200 },
    });
    const { container } = render(
      <SessionProvider session={session}>
        <ConnectionBanner />
      </SessionProvider>,
    );
    await act(() => session.login(makeTestToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 })));
    const state = () => container.querySelector('.nxs-banner')?.getAttribute('data-state');
    expect(state()).toBe('hidden');

    await platform.stop();
    const seen = new Set<string>();
    await until(
      () => {
        const text = container.querySelector('[role="status"]')?.textContent ?? '';
        const m = /attempt (\d) of 5/.exec(text);
        if (m) seen.add(m[1] as string);
        return state() === 'failed';
      },
      15_000,
      'failed',
    );
    expect(state()).toBe('failed');
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(screen.getByRole('alert').textContent).toBe('Could not reconnect.');
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeTruthy();

    await platform.start();
    await act(async () => {
      screen.getByRole('button', { name: 'Reconnect' }).click();
    });
    await until(() => state() === 'reconnected', 5000, 'reconnected');
    expect(session.getState()).toMatchObject({ status: 'connected', lastConnect: 'resumed' });
    session.destroy();
  });
});
