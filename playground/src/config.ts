/**
 * Where the reference server is and how fast to retry. `npm start` serves the playground through
 * Vite, which proxies /ws and /dev to the server on 127.0.0.1:8787. `?server=http://host:port`
 * points a built playground elsewhere (the e2e tests do); `?fast=1` shortens the schedule.
 * `?signin=1&sub=&ttl=&autoRefresh=&crossTab=` signs in at once ("Open in another tab" uses it):
 * the URL names the user, never a token; the new tab gets its own from the dev route.
 */
const params = new URLSearchParams(globalThis.location?.search ?? '');

export const serverHttp = params.get('server') ?? globalThis.location?.origin ?? 'http://127.0.0.1:8787';
export const serverWs = `${serverHttp.replace(/^http/, 'ws')}/ws`;
export const fastSchedule = params.get('fast') === '1';
export const reconnect = fastSchedule ? { initialDelayMs: 200, factor: 2, maxDelayMs: 3200 } : undefined;

export async function devToken(sub: string, ttlSeconds: number): Promise<string> {
  const res = await fetch(`${serverHttp}/dev/token?sub=${encodeURIComponent(sub)}&ttl=${ttlSeconds}`);
  if (!res.ok) throw new Error(`token request failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export async function fault(path: string, query: Record<string, string | number> = {}): Promise<void> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  await fetch(`${serverHttp}/dev/${path}?${qs}`, { method: 'POST' });
}

export interface SignInChoice {
  sub: string;
  ttlSeconds: number;
  autoRefresh: boolean;
  crossTab: boolean;
}

/** The sign-in this URL asks for, if any. */
export const signInFromUrl: SignInChoice | null =
  params.get('signin') === '1'
    ? {
        sub: params.get('sub') || 'alice',
        ttlSeconds: Number(params.get('ttl')) || 3600,
        autoRefresh: params.get('autoRefresh') !== '0',
        crossTab: params.get('crossTab') === '1',
      }
    : null;

/** This playground, signed in as `choice` (same server and schedule), for another tab. */
export function signInUrl(choice: SignInChoice): string {
  const next = new URLSearchParams(params);
  next.set('signin', '1');
  next.set('sub', choice.sub);
  next.set('ttl', String(choice.ttlSeconds));
  next.set('autoRefresh', choice.autoRefresh ? '1' : '0');
  next.set('crossTab', choice.crossTab ? '1' : '0');
  return `${globalThis.location?.pathname ?? '/'}?${next}`;
}
