/**
 * Every flag of `nexmo-session-server`, in one table: the parser, `--help` and the README's flag
 * table (scripts/cli-flags-readme.mjs) are all generated from it. Limit flags take their default
 * and their rule from limits.ts, so the CLI and `createSessionServer` cannot disagree.
 */
import type { ServerLimits } from './limits.js';
import { defaultServerLimits, limitProblem } from './limits.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** What the command line asked for, before keys are read or the server starts. */
export interface CliConfig {
  port?: number;
  host?: string;
  path?: string;
  secret?: string;
  publicKeyFile?: string;
  jwksFile?: string;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds?: number;
  /** Keep sessions in Redis (several processes share them). */
  redis?: string;
  dev: boolean;
  help: boolean;
  limits: Partial<ServerLimits>;
}

export interface FlagSpec {
  /** Without the leading dashes. */
  readonly name: string;
  /** Placeholder for the value; absent for a switch. */
  readonly value?: string;
  /** As shown by --help and in the README. */
  readonly defaultText: string;
  readonly help: string;
  readonly apply: (config: CliConfig, value: string) => void;
}

type TextKey = 'host' | 'secret' | 'publicKeyFile' | 'jwksFile' | 'issuer' | 'audience';

const text = (key: TextKey, flag: string) => (config: CliConfig, value: string) => {
  if (value.length === 0) throw new UsageError(`--${flag} needs a non-empty value`);
  config[key] = value;
};

function number(flag: string, raw: string): number {
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
  if (!/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(raw)) {
    throw new UsageError(`--${flag} must be a number (got '${raw}')`);
  }
  return Number(raw);
}

const limit = (name: keyof ServerLimits, flag: string, value: string, help: string): FlagSpec => ({
  name: flag,
  value,
  defaultText: String(defaultServerLimits[name]),
  help,
  apply(config, raw) {
    const n = number(flag, raw);
    const problem = limitProblem(name, n);
    if (problem) throw new UsageError(`--${flag} ${problem} (got '${raw}')`);
    config.limits[name] = n;
  },
});

export const cliFlags: readonly FlagSpec[] = [
  {
    name: 'port',
    value: 'N',
    defaultText: '8787 ($PORT)',
    help: 'TCP port to listen on (0: any free port)',
    apply(config, raw) {
      const n = number('port', raw);
      if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError(`--port must be 0..65535 (got '${raw}')`);
      config.port = n;
    },
  },
  { name: 'host', value: 'ADDR', defaultText: '127.0.0.1', help: 'address to listen on', apply: text('host', 'host') },
  {
    name: 'path',
    value: 'PATH',
    defaultText: '/ws',
    help: 'WebSocket path',
    apply(config, raw) {
      if (!raw.startsWith('/')) throw new UsageError(`--path must start with / (got '${raw}')`);
      config.path = raw;
    },
  },
  {
    name: 'secret',
    value: 'S',
    defaultText: '—',
    help: 'HS256 secret (16+ characters); one of --secret, --public-key, --jwks-file is required without --dev',
    apply: text('secret', 'secret'),
  },
  {
    name: 'public-key',
    value: 'FILE',
    defaultText: '—',
    help: 'RS256/ES256 public key (PEM file)',
    apply: text('publicKeyFile', 'public-key'),
  },
  {
    name: 'jwks-file',
    value: 'FILE',
    defaultText: '—',
    help: 'local JWKS file (RS256/ES256)',
    apply: text('jwksFile', 'jwks-file'),
  },
  { name: 'issuer', value: 'ISS', defaultText: '—', help: 'required `iss` claim', apply: text('issuer', 'issuer') },
  {
    name: 'audience',
    value: 'AUD',
    defaultText: '—',
    help: 'required `aud` claim',
    apply: text('audience', 'audience'),
  },
  {
    name: 'clock-tolerance-s',
    value: 'N',
    defaultText: '5',
    help: 'seconds of clock skew accepted on `exp` and `nbf`',
    apply(config, raw) {
      const n = number('clock-tolerance-s', raw);
      if (!Number.isInteger(n) || n < 0 || n > 300) {
        throw new UsageError(`--clock-tolerance-s must be an integer 0..300 (got '${raw}')`);
      }
      config.clockToleranceSeconds = n;
    },
  },
  {
    name: 'redis',
    value: 'URL',
    defaultText: '— (in memory)',
    help: 'keep sessions in Redis (redis://host:6379) so several processes share them; any process resumes any session',
    apply(config, raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new UsageError(`--redis must be a redis:// URL (got '${raw}')`);
      }
      if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
        throw new UsageError(`--redis must be a redis:// or rediss:// URL (got '${url.protocol}')`);
      }
      config.redis = raw;
    },
  },
  limit('maxFrameBytes', 'max-frame-bytes', 'N', 'largest frame read, in bytes; larger closes 1009'),
  limit('messagesPerSecond', 'message-rate', 'N', 'messages per second per connection; over it: message:nack'),
  limit('messageBurst', 'message-burst', 'N', 'messages a connection may send at once'),
  limit('floodFactor', 'flood-factor', 'N', 'frames beyond this many times the message limits close 4429'),
  limit(
    'failedLoginsPerSecond',
    'failed-login-rate',
    'N',
    'failed logins (bad or expired token) per second per address',
  ),
  limit('failedLoginBurst', 'failed-login-burst', 'N', 'failed logins an address may make at once'),
  limit('userLoginsPerSecond', 'user-login-rate', 'N', 'new sessions per second per user (resumes are not limited)'),
  limit('userLoginBurst', 'user-login-burst', 'N', 'new sessions a user may start at once'),
  limit('maxSessionsPerUser', 'max-sessions-per-user', 'N', 'sessions per user; a new one ends the oldest (4409)'),
  limit('replayMaxBytes', 'replay-max-bytes', 'N', 'replay buffer per session, in bytes (body + 64 per event)'),
  limit('replayMaxEvents', 'replay-max-events', 'N', 'replay buffer per session, in events'),
  limit(
    'maxRememberedMids',
    'max-remembered-mids',
    'N',
    'message ids remembered per session (resends are not repeated)',
  ),
  limit('sendBufferBytes', 'send-buffer-bytes', 'N', 'bytes queued for one socket before the server waits for it'),
  limit('resumeWindowMs', 'resume-window-ms', 'MS', 'how long a session outlives its socket'),
  limit('loginTimeoutMs', 'login-timeout-ms', 'MS', 'session:login must arrive within this'),
  {
    name: 'dev',
    defaultText: 'off',
    help: 'dev mode: /dev/* token and fault routes; the dev secret when no key is given. Never in production',
    apply(config) {
      config.dev = true;
    },
  },
  {
    name: 'help',
    defaultText: '',
    help: 'print this and exit',
    apply(config) {
      config.help = true;
    },
  },
];

/** Closest flag name within two edits, for "did you mean". */
function suggestion(name: string): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const flag of cliFlags) {
    const d = editDistance(name, flag.name);
    if (d <= 2 && (!best || d < best.d)) best = { name: flag.name, d };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + cost);
    }
    row = next;
  }
  return row[b.length] as number;
}

export function parseArgs(argv: readonly string[]): CliConfig {
  const config: CliConfig = { dev: false, help: false, limits: {} };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      throw new UsageError(`unexpected argument '${arg}' (flags start with --)\n\n${helpText()}`);
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const flag = cliFlags.find((f) => f.name === name);
    if (!flag) {
      const close = suggestion(name);
      throw new UsageError(`unknown flag --${name}${close ? ` (did you mean --${close}?)` : ''}\n\n${helpText()}`);
    }
    if (seen.has(name)) throw new UsageError(`--${name} is given twice`);
    seen.add(name);
    let value: string;
    if (flag.value === undefined) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      value = '';
    } else if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value (${flag.value})`);
      value = next;
      i++;
    }
    flag.apply(config, value);
  }
  return config;
}

export function helpText(): string {
  const left = (f: FlagSpec) => `--${f.name}${f.value ? ` ${f.value}` : ''}`;
  const flagWidth = Math.max(...cliFlags.map((f) => left(f).length)) + 2;
  const defaultWidth = Math.max('default'.length, ...cliFlags.map((f) => f.defaultText.length)) + 2;
  const row = (a: string, b: string, c: string) => `  ${a.padEnd(flagWidth)}${b.padEnd(defaultWidth)}${c}`;
  return [
    'nexmo-session-server: the reference session server of @nexmo-session',
    '',
    'Usage: nexmo-session-server (--secret S | --public-key FILE | --jwks-file FILE | --dev) [flags]',
    '',
    row('flag', 'default', ''),
    ...cliFlags.map((f) => row(left(f), f.defaultText, f.help)),
  ].join('\n');
}

/** The flag table as Markdown, for the README (scripts/cli-flags-readme.mjs); padded as the formatter pads it. */
export function flagsMarkdown(): string {
  const cell = (v: string) => v.replace(/\|/g, '\\|');
  const rows = [
    ['Flag', 'Default', 'Meaning'],
    ...cliFlags.map((f) => [
      `\`--${f.name}${f.value ? ` ${f.value}` : ''}\``,
      cell(f.defaultText || '—'),
      cell(f.help),
    ]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const [header, ...body] = rows as [string[], ...string[][]];
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
