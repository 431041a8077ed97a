// What an app that uses only the provider, one hook and the WebSocket transport ships.

export { webSocketTransport } from '../../packages/core/dist/index.js';
export { SessionProvider, useConnectionStatus } from '../../packages/react/dist/index.js';
