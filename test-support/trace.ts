/** A session event as a short string for trace assertions, e.g. 'disconnect:CONNECTION_FAILED'. */
export function describeEvent(name: string, arg: unknown): string {
  if (name === 'error') return `error:${(arg as { type: string }).type}`;
  return arg === undefined || typeof arg === 'object' ? name : `${name}:${String(arg)}`;
}

/**
 * The seed's documented events for a connection that never comes back: the loss, five attempts,
 * then the error after the last one. The engine, the server integration and the nexmo-client
 * adapter each assert it.
 */
export const failedOutageTrace = [
  'disconnect:CONNECTION_FAILED',
  'reconnecting:1',
  'reconnecting:2',
  'reconnecting:3',
  'reconnecting:4',
  'reconnecting:5',
  'error:error:client:reconnection_failed',
] as const;
