/**
 * `nexmo-session-server`: the reference session server from the command line.
 *   --port 8787  --host 127.0.0.1  --secret S | --public-key FILE | --jwks-file FILE
 *   --resume-window 300000  --issuer I  --audience A  --dev
 * With --dev and no key option, a fixed dev secret is used (never for production).
 */
import { readFileSync } from 'node:fs';
import type { KeyOptions } from './keys.js';
import { createSessionServer } from './server.js';

export const devSecret = 'nexmo-session-dev-secret-do-not-use-in-production';

function parse(argv: string[]): Map<string, string | true> {
  const args = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'dev' || name === 'help') args.set(name, true);
    else if (inline !== undefined) args.set(name, inline);
    else {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      args.set(name, value);
    }
  }
  return args;
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const args = parse(argv);
  if (args.has('help')) {
    console.log(
      'nexmo-session-server [--port 8787] [--host 127.0.0.1] (--secret S | --public-key FILE | --jwks-file FILE) [--resume-window MS] [--issuer I] [--audience A] [--dev]',
    );
    return;
  }
  const str = (name: string) => {
    const v = args.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const dev = args.get('dev') === true;
  let keys: KeyOptions;
  if (str('secret')) keys = { secret: str('secret') as string };
  else if (str('public-key')) keys = { publicKey: readFileSync(str('public-key') as string, 'utf8') };
  else if (str('jwks-file')) keys = { jwks: JSON.parse(readFileSync(str('jwks-file') as string, 'utf8')) };
  else if (dev) keys = { secret: process.env.NEXMO_SESSION_SECRET ?? devSecret };
  else throw new Error('one of --secret, --public-key or --jwks-file is required (or --dev)');

  const port = Number(str('port') ?? process.env.PORT ?? 8787);
  const resumeWindow = str('resume-window');
  const server = await createSessionServer({
    keys,
    port,
    host: str('host') ?? '127.0.0.1',
    dev,
    ...(resumeWindow ? { resumeWindowMs: Number(resumeWindow) } : {}),
    ...(str('issuer') ? { issuer: str('issuer') as string } : {}),
    ...(str('audience') ? { audience: str('audience') as string } : {}),
  });
  console.log(`nexmo-session-server listening on ${server.url}${dev ? ' (dev mode: /dev/* routes enabled)' : ''}`);
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
