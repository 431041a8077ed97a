/** `@nexmo-session/core/reconnecting-websocket`: for apps that already hold a reconnecting-websocket instance. */
export type {
  ReconnectingWebSocketLike,
  ReconnectingWebSocketTransportOptions,
} from '../adapters/reconnecting-websocket.js';
export { reconnectingWebSocketTransport } from '../adapters/reconnecting-websocket.js';
