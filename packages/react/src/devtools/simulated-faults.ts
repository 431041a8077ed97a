/**
 * The fault methods of `simulatedTransport()` from @nexmo-session/core/testing, duck-typed so the
 * devtools never import the testing entry (and any transport with the same methods gets buttons).
 */

export interface FaultMethods {
  drop(): void;
  serverDown(): void;
  serverUp(): void;
  refuseAttempts(n: number): void;
  rejectLogins(reject?: boolean): void;
  expireToken(): void;
  forgetSessions(): void;
  push(body: unknown, from?: string | null): void;
}

export type FaultName = keyof FaultMethods;

export const faultNames: readonly FaultName[] = [
  'drop',
  'serverDown',
  'serverUp',
  'refuseAttempts',
  'rejectLogins',
  'expireToken',
  'forgetSessions',
  'push',
];

/** The fault methods `transport` has (possibly none). */
export function faultsOf(transport: unknown): Partial<FaultMethods> {
  if (typeof transport !== 'object' || transport === null) return {};
  const found: Partial<Record<FaultName, unknown>> = {};
  for (const name of faultNames) {
    const method = (transport as Record<string, unknown>)[name];
    if (typeof method === 'function') found[name] = method.bind(transport);
  }
  return found as Partial<FaultMethods>;
}

/** The simulated server's up/down flag, when the transport has one. */
export function serverUpOf(transport: unknown): boolean | null {
  if (typeof transport !== 'object' || transport === null) return null;
  const flag = (transport as { isServerUp?: unknown }).isServerUp;
  return typeof flag === 'boolean' ? flag : null;
}
