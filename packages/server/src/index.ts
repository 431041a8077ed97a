// The wire protocol is @nexmo-session/core/protocol's; re-exported for servers built on this one.
export type { ClientFrame, ProtocolViolation, ServerFrame } from '@nexmo-session/core/protocol';
export { CloseCode, parseClientFrame } from '@nexmo-session/core/protocol';
export { devSecret, main, startupBanner } from './cli.js';
export type { CliConfig, FlagSpec } from './cli-flags.js';
export { cliFlags, flagsMarkdown, helpText, parseArgs, UsageError } from './cli-flags.js';
export { devRoutes } from './dev-routes.js';
export type { KeyOptions, VerifiedToken, Verifier, VerifyOptions } from './keys.js';
export { createVerifier, TokenRejected } from './keys.js';
export type { ServerLimits } from './limits.js';
export { defaultServerLimits, resolveLimits } from './limits.js';
export type { RedisOptions } from './registry/redis/options.js';
export type { MidWindow, SessionCaps, SessionRecord, SessionRegistry } from './registry.js';
export { InMemoryRegistry } from './registry.js';
export type { ReplayCaps, ReplayLog, StoredEvent } from './replay-log.js';
export { InMemoryReplayLog } from './replay-log.js';
export type { Logger, OnMessage, Publish, SessionServer, SessionServerOptions } from './server.js';
export { createSessionServer } from './server.js';
