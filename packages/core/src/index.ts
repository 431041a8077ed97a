export type { BackoffOptions } from './backoff.js';
export { backoffDelayMs, backoffScheduleMs, defaultBackoff } from './backoff.js';
export type { Clock, TimerHandle } from './clock.js';
export { realClock } from './clock.js';
export type { BroadcastChannelLike, CrossTabOptions, LockManagerLike } from './cross-tab.js';
export type { SessionErrorInfo, SessionErrorType } from './errors.js';
export { SessionError, SessionOptionsError } from './errors.js';
export type { MachineState, StateName } from './machine.js';
export type { ManualNetwork, NetworkChange, NetworkSource } from './network.js';
export { browserNetwork, manualNetwork } from './network.js';
export type { SessionOptions, WhenOnline } from './options.js';
export type { ReadonlyStore, Session, SessionEventName, SessionEvents } from './session.js';
export { createSession, maxMessageBytes, sessionEventNames } from './session.js';
export type { ConnectionStatus, Notice, SessionState } from './state.js';
export { initialState } from './state.js';
export type { TokenClaims, TokenStatus } from './token.js';
export { decodeToken } from './token.js';
export type {
  AttemptRequest,
  CloseKind,
  ConnectedInfo,
  Connection,
  ConnectionClosed,
  ConnectionHandlers,
  Connector,
  DisconnectReason,
  OutgoingMessage,
  SelfRetryingTransport,
  ServerEvent,
  Transport,
  TransportHost,
} from './transport/types.js';
export type {
  WebSocketConnector,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketTransportOptions,
} from './transport/websocket/websocket-transport.js';
export { webSocketTransport } from './transport/websocket/websocket-transport.js';
