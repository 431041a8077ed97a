export { devSecret, main } from './cli.js';
export type { KeyOptions, VerifiedToken, Verifier, VerifyOptions } from './keys.js';
export { createVerifier, TokenRejected } from './keys.js';
export type { ClientFrame } from './protocol.js';
export { CloseCode, ProtocolError, parseClientFrame } from './protocol.js';
export type { SessionRecord, SessionRegistry, StoredEvent } from './registry.js';
export { InMemoryRegistry } from './registry.js';
export type { Logger, Publish, SessionServer, SessionServerOptions } from './server.js';
export { createSessionServer } from './server.js';
