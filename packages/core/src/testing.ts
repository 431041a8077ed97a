/**
 * `@nexmo-session/core/testing`: the simulated transport, a controllable clock and unsigned test
 * tokens, for tests, Storybook and demos. Never use test tokens against a real server.
 */

export type { ManualClock } from './testing/manual-clock.js';
export { manualClock } from './testing/manual-clock.js';
export { makeTestToken } from './testing/test-token.js';
export type { AttemptRecord, SimulatedTransport, SimulatedTransportOptions } from './transport/simulated.js';
export { simulatedTransport } from './transport/simulated.js';
