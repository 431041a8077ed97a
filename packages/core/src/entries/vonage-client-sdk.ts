/** `@nexmo-session/core/vonage-client-sdk`: kept out of the main entry, like the nexmo-client adapter. */
export type {
  VonageAnswerLogger,
  VonageClientLike,
  VonageClientTransportOptions,
} from '../adapters/vonage-client-sdk.js';
export { vonageAnswerLogger, vonageClientTransport } from '../adapters/vonage-client-sdk.js';
