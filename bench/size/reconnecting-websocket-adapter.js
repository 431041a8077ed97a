// The reconnecting-websocket adapter entry: RWS itself is the app's (an optional peer), never bundled here.
export { reconnectingWebSocketTransport } from '../../packages/core/dist/reconnecting-websocket.js';
