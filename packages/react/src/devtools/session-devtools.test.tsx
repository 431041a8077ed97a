import type { Session, SessionEventName } from '@nexmo-session/core';
import { sessionEventNames } from '@nexmo-session/core';
import { simulatedTransport } from '@nexmo-session/core/testing';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { expectNoAxeViolations } from '../../test/a11y.js';
import { makeSession, renderConnected } from '../../test/harness.js';
import { SessionProvider } from '../session-provider.js';
import { describeEvent, describeValue, formatRelative } from './format.js';
import { SessionDevtools } from './index.js';
import { faultNames, faultsOf } from './simulated-faults.js';
import { tokenLife } from './token-life.js';

const timeline = (container: HTMLElement) =>
  [...container.querySelectorAll('.nxs-devtools__event')].map((li) =>
    [
      li.querySelector('.nxs-devtools__event-name')?.textContent,
      li.querySelector('.nxs-devtools__event-detail')?.textContent,
    ]
      .filter(Boolean)
      .join(' '),
  );

describe('SessionDevtools', () => {
  it('subscribes to every event core lists, and to nothing once unmounted', () => {
    const made = makeSession();
    const subscribed: SessionEventName[] = [];
    const spy = new Proxy(made.session, {
      get(target, key) {
        if (key !== 'on') return Reflect.get(target, key);
        const on: Session['on'] = (name, fn) => {
          subscribed.push(name);
          return target.on(name, fn);
        };
        return on;
      },
    }) as Session;
    const before = made.session.debug.listenerCount();
    const view = render(<SessionDevtools session={spy} />);
    expect([...subscribed].sort()).toEqual([...sessionEventNames].sort());
    expect(made.session.debug.listenerCount()).toBe(before + sessionEventNames.length);
    view.unmount();
    expect(made.session.debug.listenerCount()).toBe(before);
  });

  it('records events while closed and shows them, newest first, when opened', async () => {
    const made = await renderConnected(<SessionDevtools />);
    act(() => made.sim.drop());
    await made.advance(1000);
    expect(made.container.querySelector('.nxs-devtools__panel')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Session devtools' }));
    expect(timeline(made.container)).toEqual([
      'status connected',
      'session:resumed sim-session-1',
      'reconnect',
      'reconnecting 1',
      'status reconnecting',
      'disconnect CONNECTION_FAILED',
      'status connected', // the login, recorded from mount
      'status connecting',
    ]);
    expect(made.container.querySelector('.nxs-devtools__time')?.textContent).toBe('+1.000 s');
    fireEvent.click(screen.getByRole('button', { name: 'Clear events' }));
    expect(timeline(made.container)).toEqual([]);
  });

  it('shows every store field, including the outbox size', async () => {
    const made = await renderConnected(<SessionDevtools initialIsOpen />);
    act(() => made.sim.serverDown());
    act(() => {
      made.session.send({ text: 'queued' }).catch(() => {});
    });
    const rows = [...made.container.querySelectorAll('[data-field]')].map((tr) => tr.getAttribute('data-field'));
    expect(rows).toEqual(Object.keys(made.session.getState()));
    expect(made.container.querySelector('[data-field="outboxSize"] td')?.textContent).toBe('1');
    expect(screen.getByTestId('outbox-size').textContent).toBe('1');
    made.session.destroy();
  });

  it("shows core's machine state and notice as they change", async () => {
    const made = await renderConnected(<SessionDevtools initialIsOpen />, {}, { latencyMs: 100 });
    const machine = () => screen.getByTestId('machine-state').textContent;
    const notice = () => screen.getByTestId('notice').textContent;
    expect([machine(), notice()]).toEqual(['@ok.connected', 'none']);
    act(() => made.sim.serverDown());
    expect([machine(), notice()]).toEqual(['@reconnecting.backoff', 'none']); // a blip, so far
    await made.advance(1000);
    expect([machine(), notice()]).toEqual(['@reconnecting.attempt', 'reconnecting: trying attempt 1']);
    await made.advance(100);
    expect([machine(), notice()]).toEqual(['@reconnecting.backoff', 'reconnecting: waiting for attempt 2']);
    made.session.destroy();
  });

  it("lists the outbox's messages from core: on the wire, or waiting their turn", async () => {
    const made = await renderConnected(<SessionDevtools initialIsOpen />, {}, { latencyMs: 100 });
    act(() => {
      made.session.send({ text: 'on the wire' }).catch(() => {});
    });
    await made.advance(50); // sent, not yet acknowledged
    act(() => made.sim.serverDown());
    act(() => {
      made.session.send({ text: 'queued' }).catch(() => {});
    });
    const items = [...made.container.querySelectorAll('.nxs-devtools__outbox li')].map((li) => [
      li.getAttribute('data-phase'),
      li.textContent?.replace(/^\S+ /, ''), // without the mid
    ]);
    // The connection dropped with the first unacknowledged: it waits again, in its place.
    expect(items).toEqual([
      ['waiting', 'waiting its turn: {"text":"on the wire"}'],
      ['waiting', 'waiting its turn: {"text":"queued"}'],
    ]);
    expect(made.session.debug.outbox().map((m) => m.body)).toEqual([{ text: 'on the wire' }, { text: 'queued' }]);
    made.session.destroy();
  });

  it('shows a message on the wire with the time it was sent', async () => {
    const made = await renderConnected(<SessionDevtools initialIsOpen />, {}, { latencyMs: 100 });
    act(() => made.sim.stall(10_000)); // nothing is answered: the message stays unacknowledged
    act(() => {
      made.session.send({ text: 'slow' }).catch(() => {});
    });
    await made.advance(2000);
    const item = made.container.querySelector('.nxs-devtools__outbox li');
    expect(item?.getAttribute('data-phase')).toBe('in-flight');
    // Sent at +100 ms (after the login's round trip); the panel's clock ticks each second, at +2 s.
    expect(item?.textContent).toMatch(/ sent 1\.9 s ago: \{"text":"slow"\}$/);
    made.session.destroy();
  });

  it("places the engine's own refresh time on the token bar", async () => {
    const made = await renderConnected(<SessionDevtools initialIsOpen />, {
      ttlSeconds: 600,
      fetchToken: async () => 'unused',
    });
    const { refreshAt, issuedAt, expiresAt } = made.session.debug.token();
    expect(refreshAt).toBe((expiresAt as number) - 60_000);
    const legend = [...made.container.querySelectorAll('.nxs-devtools__legend li')].map((li) =>
      li.getAttribute('data-kind'),
    );
    expect(legend).toEqual(['start', 'refresh', 'expiring', 'expiry']);
    const mark = made.container.querySelector('.nxs-devtools__bar-mark[data-kind="refresh"]') as HTMLElement;
    expect(mark.style.left).toBe(`${(((refreshAt as number) - (issuedAt as number)) / 600_000) * 100}%`);
    made.session.destroy();
  });

  it('has a button per fault of a simulated transport, and they drive it', async () => {
    const made = await renderConnected(<div />);
    made.rerender(
      <SessionProvider session={made.session}>
        <SessionDevtools initialIsOpen transport={made.sim} />
      </SessionProvider>,
    );
    const faults = [...made.container.querySelectorAll('[data-fault]')].map((b) => b.getAttribute('data-fault'));
    expect(faults).toEqual(faultNames);
    fireEvent.click(screen.getByRole('button', { name: 'Server down' }));
    expect(made.session.getState().status).toBe('reconnecting');
    expect(screen.getByText('Simulated server: down')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Server up' }));
    expect(made.sim.isServerUp).toBe(true);
    await made.advance(1000);
    expect(made.session.getState().status).toBe('connected');
    await expectNoAxeViolations(made.container);
    made.session.destroy();
  });

  it('adds no landmark of its own beside the panel: an app\'s "Faults" region stays unique', async () => {
    const made = await renderConnected(
      <>
        <section aria-labelledby="app-faults">
          <h2 id="app-faults">Faults</h2>
        </section>
        <SessionDevtools initialIsOpen />
      </>,
    );
    expect(screen.getAllByRole('region')).toHaveLength(2); // the app's and the panel itself
    await expectNoAxeViolations(made.container);
    made.session.destroy();
  });

  it('opens with Enter and closes with Escape, giving focus back to its button', async () => {
    const user = userEvent.setup();
    await renderConnected(<SessionDevtools />);
    const toggle = screen.getByRole('button', { name: 'Session devtools' });
    toggle.focus();
    await user.keyboard('{Enter}');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await user.tab();
    expect(screen.getByRole('region', { name: 'Session devtools' }).contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });

  it('says what is missing outside a SessionProvider', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {}); // React logs the error too
    expect(() => render(<SessionDevtools />)).toThrow(/inside <SessionProvider>, or given a session prop/);
    quiet.mockRestore();
  });
});

describe('faultsOf', () => {
  it.each([
    ['a simulated transport', () => simulatedTransport(), faultNames],
    ['an object with some of the methods', () => ({ drop() {}, push() {}, serverUp: 'no' }), ['drop', 'push']],
    ['null', () => null, []],
    ['a string', () => 'sim', []],
  ])('finds the fault methods of %s', (_name, make, expected) => {
    expect(Object.keys(faultsOf(make()))).toEqual(expected);
  });
});

describe('tokenLife', () => {
  const base = {
    startMs: 0,
    startKind: 'issued' as const,
    expiresAtMs: 600_000,
    nowMs: 300_000,
    expiringMs: 120_000,
  };
  const markers = (life: ReturnType<typeof tokenLife>) => life.markers.map((m) => [m.kind, m.atMs, m.percent]);

  it.each([
    [
      'a 10 min token with fetchToken',
      { ...base, refreshAtMs: 540_000 },
      [
        ['start', 0, 0],
        ['refresh', 540_000, 90],
        ['expiring', 480_000, 80],
        ['expiry', 600_000, 100],
        ['now', 300_000, 50],
      ],
    ],
    [
      'without fetchToken: no refresh',
      { ...base, refreshAtMs: null },
      [
        ['start', 0, 0],
        ['expiring', 480_000, 80],
        ['expiry', 600_000, 100],
        ['now', 300_000, 50],
      ],
    ],
    [
      'a 60 s token: refreshed half-way, expiring from the start',
      { ...base, expiresAtMs: 60_000, nowMs: 90_000, refreshAtMs: 30_000 },
      [
        ['start', 0, 0],
        ['refresh', 30_000, 50],
        ['expiry', 60_000, 100],
        ['now', 90_000, 100],
      ],
    ],
  ])('places %s', (_name, input, expected) => {
    expect(markers(tokenLife(input))).toEqual(expected);
  });
});

describe('format', () => {
  it.each([
    ['status', ['reconnecting'], 'reconnecting'],
    ['disconnect', ['TOKEN_EXPIRED'], 'TOKEN_EXPIRED'],
    ['reconnecting', [3], '3'],
    ['reconnect', [], ''],
    [
      'error',
      [{ type: 'error:client:reconnection_failed', message: 'gave up' }],
      'error:client:reconnection_failed: gave up',
    ],
    ['session:resumed', [{ sessionId: 's1' }], 's1'],
    ['session:lost', [{ previousSessionId: 's1', sessionId: 's2' }], 's1 → s2'],
    ['token:expiring', [{ expiresAt: null }], 'expiry unknown'],
    ['token:refreshed', [{ expiresAt: null }], 'expiry unknown'],
    ['message', [{ seq: 4, from: null, body: { a: 1 } }], '#4 from server: {"a":1}'],
  ] as const)('describes %s', (name, args, expected) => {
    expect(describeEvent(name, args)).toBe(expected);
  });

  it('has a line for every event core lists', () => {
    const covered = ['status', 'disconnect', 'reconnecting', 'reconnect', 'error', 'session:resumed', 'session:lost'];
    const rest = ['token:expiring', 'token:refreshed', 'message'];
    expect([...covered, ...rest].sort()).toEqual([...sessionEventNames].sort());
  });

  it('clips long message bodies and survives cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeEvent('message', [{ seq: 1, from: 'a', body: 'x'.repeat(500) }])).toHaveLength(120);
    expect(describeEvent('message', [{ seq: 1, from: 'a', body: cyclic }])).toBe('#1 from a: [object Object]');
  });

  it.each([
    [5_500, 0, 'in 5.5 s'],
    [0, 2_000, '2.0 s ago'],
    [260_000, 0, 'in 4 min 20 s'],
    [10, 0, 'now'],
  ])('says %i ms is %s from %i', (target, now, expected) => {
    expect(formatRelative(target, now)).toBe(expected);
  });

  it('shows epoch-ms fields as a time and how far away, errors without their cause', () => {
    expect(describeValue('nextRetryAt', 5_000, 1_000)).toMatch(/^\d\d:\d\d:\d\d \(in 4\.0 s\)$/);
    expect(describeValue('error', { type: 't', message: 'm', cause: new Error('big') }, 0)).toBe(
      '{"type":"t","message":"m"}',
    );
    expect(describeValue('sessionId', null, 0)).toBe('null');
  });
});
