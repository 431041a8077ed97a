/**
 * Dev-only HTTP routes (mounted only with `--dev`): mint tokens with the dev secret and inject
 * faults for the playground and tests. Tokens are returned in the response body, never in a URL.
 */

import { createSecretKey } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import type { KeyOptions } from './keys.js';
import type { SessionServer } from './server.js';

interface DevContext {
  keys: KeyOptions;
  faults: SessionServer['faults'];
  issuer?: string;
  audience?: string;
}

/** What `--dev` mounts, for the startup banner and the README. */
export const devRoutes: readonly { route: string; does: string }[] = [
  { route: 'GET  /dev/token?sub=&ttl=', does: 'mint a token with the dev secret (ttl in seconds, default 3600)' },
  { route: 'POST /dev/drop?sub=', does: 'cut connections without a close frame (all, or one user)' },
  { route: 'POST /dev/expire-token?sub=', does: 'end connections with TOKEN_EXPIRED (4001)' },
  { route: 'POST /dev/pause?ms=', does: 'drop every connection and refuse new ones for ms' },
  { route: 'POST /dev/freeze?ms=', does: 'stall every socket for ms: nothing read, writes held, nothing lost' },
];

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  res.end(JSON.stringify(body));
};

export async function handleDevRoute(req: IncomingMessage, res: ServerResponse, url: URL, ctx: DevContext) {
  const sub = url.searchParams.get('sub') ?? undefined;
  if (req.method === 'OPTIONS') {
    // CORS preflight for the playground when it is served from another origin.
    res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST' });
    res.end();
    return;
  }
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case 'GET /dev/token': {
      if (!('secret' in ctx.keys)) return json(res, 400, { error: '/dev/token needs the server to run with --secret' });
      if (!sub || !/^[\w.@-]{1,64}$/.test(sub)) return json(res, 400, { error: 'sub: 1-64 of [A-Za-z0-9_.@-]' });
      const ttl = Number(url.searchParams.get('ttl') ?? 3600);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) return json(res, 400, { error: 'ttl: 1..86400 seconds' });
      let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(sub).setIssuedAt();
      jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + ttl);
      if (ctx.issuer) jwt = jwt.setIssuer(ctx.issuer);
      if (ctx.audience) jwt = jwt.setAudience(ctx.audience);
      const token = await jwt.sign(createSecretKey(Buffer.from(ctx.keys.secret, 'utf8')));
      return json(res, 200, { token, sub, expiresAt: (Math.floor(Date.now() / 1000) + ttl) * 1000 });
    }
    case 'POST /dev/drop':
      return json(res, 200, { dropped: ctx.faults.drop(sub) });
    case 'POST /dev/expire-token':
      return json(res, 200, { expired: ctx.faults.expireToken(sub) });
    case 'POST /dev/pause':
    case 'POST /dev/freeze': {
      const ms = Number(url.searchParams.get('ms') ?? 5000);
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) return json(res, 400, { error: 'ms: 0..600000' });
      if (url.pathname === '/dev/pause') ctx.faults.pause(ms);
      else ctx.faults.freeze(ms);
      return json(res, 200, { [url.pathname === '/dev/pause' ? 'pausedMs' : 'frozenMs']: ms });
    }
    default:
      return json(res, 404, { error: 'unknown dev route' });
  }
}
