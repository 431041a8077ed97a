/** The documented events of a session as short strings, e.g. 'disconnect:CONNECTION_FAILED'. */
import { describeEvent } from '../../../../test-support/trace.js';
import type { Session } from '../../src/session.js';
import { sessionEventNames } from '../../src/session.js';

export function traceEvents(session: Session): string[] {
  const trace: string[] = [];
  const names = sessionEventNames.filter(
    (n) => !['status', 'message', 'token:expiring', 'token:refreshed'].includes(n),
  );
  for (const name of names) {
    session.on(name, (arg?: unknown) => trace.push(describeEvent(name, arg)));
  }
  return trace;
}
