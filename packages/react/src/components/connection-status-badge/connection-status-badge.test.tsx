import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../../../test/a11y.js';
import { makeSession, renderConnected } from '../../../test/harness.js';
import { SessionProvider } from '../../session-provider.js';
import { ConnectionStatusBadge } from './connection-status-badge.js';

describe('ConnectionStatusBadge', () => {
  it('shows a dot and a label per status', async () => {
    const made = makeSession();
    const { container } = render(
      <SessionProvider session={made.session}>
        <ConnectionStatusBadge />
      </SessionProvider>,
    );
    const badge = () => container.querySelector('.nxs-badge') as HTMLElement;
    expect([badge().dataset.state, badge().textContent]).toEqual(['idle', 'Signed out']);
    act(() => {
      made.session.login(made.tokenFor()).catch(() => {});
    });
    expect([badge().dataset.state, badge().textContent]).toEqual(['connecting', 'Connecting']);
    await made.advance(0);
    expect([badge().dataset.state, badge().textContent]).toEqual(['connected', 'Connected']);
    act(() => made.sim.serverDown());
    expect([badge().dataset.state, badge().textContent]).toEqual(['reconnecting', 'Reconnecting']);
    await made.advance(40_000);
    expect([badge().dataset.state, badge().textContent]).toEqual(['disconnected', 'Disconnected']);
    act(() => made.network.set(false));
    expect([badge().dataset.state, badge().textContent]).toEqual(['offline', 'Offline']);
    expect(container.querySelector('.nxs-badge__dot')?.getAttribute('aria-hidden')).toBe('true');
    await expectNoAxeViolations(container);
  });

  it('takes translated labels', async () => {
    const { container } = await renderConnected(<ConnectionStatusBadge messages={{ connected: 'Verbunden' }} />);
    expect(container.textContent).toBe('Verbunden');
  });
});
