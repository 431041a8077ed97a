/** The documented events of a session as short strings, e.g. 'disconnect:CONNECTION_FAILED'. */
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
    session.on(name, (arg?: unknown) =>
      trace.push(
        name === 'error'
          ? `error:${(arg as { type: string }).type}`
          : arg === undefined || typeof arg === 'object'
            ? name
            : `${name}:${arg}`,
      ),
    );
  }
  return trace;
}
