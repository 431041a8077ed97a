/**
 * `nexmo-session-server`: the reference session server from the command line. Flags, defaults
 * and their checks live in cli-flags.ts; `--help` prints them. An unknown or misspelt flag is an
 * error (exit 2), never ignored: `--redsi` must not start a server that quietly does less.
 * With --dev and no key option, a fixed dev secret is used (never for production).
 */
import { readFileSync } from 'node:fs';
import type { CliConfig } from './cli-flags.js';
import { helpText, parseArgs, UsageError } from './cli-flags.js';
import { devRoutes } from './dev-routes.js';
import type { KeyOptions } from './keys.js';
import type { SessionRegistry } from './registry.js';
import { InMemoryRegistry } from './registry.js';
import type { SessionServer } from './server.js';
import { createSessionServer } from './server.js';

export { UsageError };

export const devSecret = 'nexmo-session-dev-secret-do-not-use-in-production';

function readKeys(config: CliConfig): KeyOptions {
  const given = [config.secret, config.publicKeyFile, config.jwksFile].filter((v) => v !== undefined);
  if (given.length > 1) throw new UsageError('give only one of --secret, --public-key and --jwks-file');
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
  };
  if (config.secret !== undefined) {
    if (config.secret.length < 16) throw new UsageError('--secret must be at least 16 characters');
    return { secret: config.secret };
  }
  if (config.publicKeyFile !== undefined) return { publicKey: read('public-key', config.publicKeyFile) };
  if (config.jwksFile !== undefined) {
    try {
      return { jwks: JSON.parse(read('jwks-file', config.jwksFile)) };
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--jwks-file: ${config.jwksFile} is not JSON`);
    }
  }
  if (config.dev) return { secret: process.env.NEXMO_SESSION_SECRET ?? devSecret };
  throw new UsageError('one of --secret, --public-key or --jwks-file is required (or --dev); see --help');
}

function portFrom(config: CliConfig): number {
  if (config.port !== undefined) return config.port;
  const env = process.env.PORT;
  if (env === undefined || env === '') return 8787;
  const n = Number(env);
  if (!/^\d+$/.test(env) || n > 65_535) throw new UsageError(`$PORT must be 0..65535 (got '${env}')`);
  return n;
}

/** What the server prints when it is up: where it listens, where sessions live, the dev routes. */
export function startupBanner(server: SessionServer, dev: boolean): string;
/** @deprecated The server knows where its sessions live: `startupBanner(server, dev)`. */
export function startupBanner(server: SessionServer, registry: SessionRegistry, dev: boolean): string;
export function startupBanner(
  server: SessionServer,
  devOrRegistry: boolean | SessionRegistry,
  devFlag?: boolean,
): string {
  const dev = typeof devOrRegistry === 'boolean' ? devOrRegistry : devFlag === true;
  const l = server.limits;
  const lines = [
    `nexmo-session-server listening on ${server.url}`,
    `  ${server.registry}`,
    `  limits: ${l.maxFrameBytes}-byte frames, ${l.messagesPerSecond} messages/s (burst ${l.messageBurst}), ` +
      `replay ${l.replayMaxBytes} bytes / ${l.replayMaxEvents} events per session, ` +
      `resume window ${l.resumeWindowMs} ms (--help lists every flag)`,
  ];
  if (dev) {
    const width = Math.max(...devRoutes.map((r) => r.route.length)) + 2;
    lines.push('  dev mode (never in production): /dev routes on the same port');
    for (const r of devRoutes) lines.push(`    ${r.route.padEnd(width)}${r.does}`);
  }
  return lines.join('\n');
}

/** Runs the CLI. Resolves with the running server, or null after --help. Usage errors: UsageError (exit 2). */
export async function main(argv = process.argv.slice(2)): Promise<SessionServer | null> {
  const config = parseArgs(argv);
  if (config.help) {
    console.log(helpText());
    return null;
  }
  const keys = readKeys(config);
  const port = portFrom(config);
  const server = await createSessionServer({
    keys,
    port,
    host: config.host ?? '127.0.0.1',
    ...(config.path !== undefined ? { path: config.path } : {}),
    ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
    ...(config.audience !== undefined ? { audience: config.audience } : {}),
    ...(config.clockToleranceSeconds !== undefined ? { clockToleranceSeconds: config.clockToleranceSeconds } : {}),
    ...config.limits,
    ...(config.redis !== undefined ? { redis: config.redis } : { registry: new InMemoryRegistry() }),
    dev: config.dev,
  });
  console.log(startupBanner(server, config.dev));
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
