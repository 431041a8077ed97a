/** `@nexmo-session/core/vonage-client-sdk`: kept out of the main entry, like the nexmo-client adapter. */
export type { VonageClientLike } from '../adapters/vonage-client-sdk.js';
export { vonageClientTransport } from '../adapters/vonage-client-sdk.js';
