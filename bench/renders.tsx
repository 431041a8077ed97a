/**
 * Renders: 1,000 mounted subscribers through one full outage (loss, 5 attempts, failure, manual
 * connect, resume). Counts renders per component kind and compares them with the renders that
 * were necessary (the component's selected slice changed). Target: zero wasted renders.
 */
import './dom.js';
import type { SessionState } from '@nexmo-session/core';
import { createSession, manualNetwork } from '@nexmo-session/core';
import { makeTestToken, manualClock, simulatedTransport } from '@nexmo-session/core/testing';
import {
  ConnectionBanner,
  ConnectionStatusBadge,
  SessionProvider,
  useConnectionStatus,
  useNexmoSession,
  useTokenExpiry,
} from '@nexmo-session/react';
import { createRoot } from 'react-dom/client';

const clock = manualClock(Date.UTC(2026, 0, 1));
const sim = simulatedTransport({ latencyMs: 100 });
const session = createSession({ transport: sim, clock, network: manualNetwork(true) });

const renders = { status: 0, retryCount: 0, token: 0, banner: 0 };
function StatusView() {
  renders.status++;
  return <i>{useConnectionStatus()}</i>;
}
function RetryView() {
  renders.retryCount++;
  return <i>{useNexmoSession((s) => s.retryCount)}</i>;
}
function TokenView() {
  renders.token++;
  return <i>{useTokenExpiry().tokenStatus}</i>;
}
const kinds = { status: 400, retryCount: 300, token: 300 };

// The slices each kind selects: a render is necessary only when its slice changed.
const slices: Record<string, (s: SessionState) => unknown> = {
  status: (s) => s.status,
  retryCount: (s) => s.retryCount,
  token: (s) => `${s.tokenStatus}|${s.tokenExpiresAt}`,
};
const changes: Record<string, number> = { status: 0, retryCount: 0, token: 0 };
let prev = session.getState();
session.store.subscribe((s) => {
  for (const k of Object.keys(slices)) if (slices[k]?.(s) !== slices[k]?.(prev)) changes[k] = (changes[k] ?? 0) + 1;
  prev = s;
});

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const tick = () => new Promise((r) => setTimeout(r, 0));
const root = createRoot(document.getElementById('root') as HTMLElement);
root.render(
  <SessionProvider session={session}>
    {ids('s', kinds.status).map((id) => (
      <StatusView key={id} />
    ))}
    {ids('r', kinds.retryCount).map((id) => (
      <RetryView key={id} />
    ))}
    {ids('t', kinds.token).map((id) => (
      <TokenView key={id} />
    ))}
    <ConnectionStatusBadge />
    <ConnectionBanner
      // Each render of a visible "reconnecting" banner calls exactly one of these.
      messages={{
        reconnecting: ({ attempt, maxRetries }) => {
          renders.banner++;
          return `attempt ${attempt} of ${maxRetries}`;
        },
        waiting: ({ attempt, maxRetries }) => {
          renders.banner++;
          return `waiting for attempt ${attempt} of ${maxRetries}`;
        },
        reconnectingNow: 'reconnecting',
      }}
    />
  </SessionProvider>,
);
await tick();
const mounted = { ...renders };

const step = async (fn: () => unknown, ms: number) => {
  fn();
  await clock.advanceAsync(ms);
  await tick();
};
const t0 = performance.now();
await step(() => session.login(makeTestToken({ sub: 'alice', exp: Math.floor(clock.now() / 1000) + 3600 })), 100);
await step(() => sim.serverDown(), 32_000); // loss, five attempts, reconnection_failed
await step(() => {
  sim.serverUp();
  session.connect().catch(() => {});
}, 100); // manual connect: resumed
await step(() => {}, 5000); // the "reconnected" notice hides
const elapsed = performance.now() - t0;

console.log('\nRenders: 1,000 subscribers through one outage (login, loss, 5 attempts, failure, connect, resume)\n');
console.log('component kind   mounted  renders after mount  slice changes  renders per component  wasted');
let wasted = 0;
for (const [kind, count] of Object.entries(kinds)) {
  const after = renders[kind as keyof typeof renders] - mounted[kind as keyof typeof mounted];
  const necessary = (changes[kind] ?? 0) * count;
  // React may batch two changes of one step into one render, so renders <= changes is the goal.
  const extra = Math.max(0, after - necessary);
  wasted += extra;
  console.log(
    `${kind.padEnd(17)}${String(count).padEnd(9)}${String(after).padEnd(21)}${String(changes[kind]).padEnd(15)}${String(after / count).padEnd(23)}${extra}`,
  );
}
console.log(
  `ConnectionBanner 1        ${renders.banner - mounted.banner} (its countdown ticks re-render only its <Countdown>)`,
);
console.log(
  `\nwasted renders (render without a change of the selected slice): ${wasted}; outage replayed in ${elapsed.toFixed(0)} ms`,
);
root.unmount();
session.destroy();
process.exit(wasted === 0 ? 0 : 1);
