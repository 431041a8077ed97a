/**
 * `@nexmo-session/core/protocol`: the wire protocol, written once. The WebSocket transport and the
 * reference server (and any server of your own) import frame types, close codes, limits and the
 * parser from here.
 */
export type { CloseAction, CloseCodeName, ProtocolCloseCode } from './close-codes.js';
export { CloseCode, closeAction } from './close-codes.js';
export { encodeClientFrame, encodeEventFrame, encodeServerFrame } from './encode.js';
export type {
  AckFrame,
  ClientFrame,
  ClientFrameType,
  DisconnectFrame,
  EventFrame,
  LoggedOutFrame,
  LoginFrame,
  LogoutFrame,
  MessageAckFrame,
  MessageFrame,
  MessageNackFrame,
  NackCode,
  PingFrame,
  PongFrame,
  ServerFrame,
  ServerFrameType,
  SessionErrorFrame,
  SessionSuccessFrame,
  TokenUpdatedFrame,
  UpdateTokenFrame,
} from './frames.js';
export type { FrameScan } from './json-scan.js';
export { jsonDepth, scanFrame } from './json-scan.js';
export type { ProtocolLimits } from './limits.js';
export { defaultLimits, maxBodyDepth, maxIdLength, messageEnvelopeBytes } from './limits.js';
export type { Parsed, ParseOptions, ProtocolViolation } from './parse.js';
export { maxTokenLength, parseClientFrame, parseServerFrame } from './parse.js';
