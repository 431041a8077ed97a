/** `@nexmo-session/core/nexmo-client`: kept out of the main entry so no bundle pulls an SDK adapter it does not use. */
export type { NexmoApplicationLike, NexmoClientLike } from '../adapters/nexmo-client.js';
export { nexmoClientTransport } from '../adapters/nexmo-client.js';
