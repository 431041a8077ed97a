/** The documented events of a session as short strings, e.g. 'disconnect:CONNECTION_FAILED'. */
import { describeEvent } from '../../../../test-support/trace.js';
import type { Session, SessionEventName } from '../../src/session.js';

export function traceEvents(session: Session): string[] {
  const trace: string[] = [];
  const names: SessionEventName[] = [
    'disconnect',
    'reconnecting',
    'reconnect',
    'error',
    'session:resumed',
    'session:lost',
  ];
  for (const name of names) {
    session.on(name, (arg?: unknown) => trace.push(describeEvent(name, arg)));
  }
  return trace;
}
