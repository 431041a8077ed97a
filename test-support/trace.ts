/** A session event as a short string for trace assertions, e.g. 'disconnect:CONNECTION_FAILED'. */
export function describeEvent(name: string, arg: unknown): string {
  if (name === 'error') return `error:${(arg as { type: string }).type}`;
  return arg === undefined || typeof arg === 'object' ? name : `${name}:${String(arg)}`;
}
