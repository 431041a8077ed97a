/** Limits both sides agree on. The server announces its own in `session:success`; these are the defaults. */
export interface ProtocolLimits {
  /** Largest frame the server reads (bytes, UTF-8); larger ones close the connection with 1009. */
  maxFrameBytes: number;
  /** App messages per second a connection may send (token bucket refill rate). */
  messagesPerSecond: number;
  /** App messages a connection may send at once (token bucket capacity). */
  burst: number;
}

export const defaultLimits: Readonly<ProtocolLimits> = Object.freeze({
  maxFrameBytes: 64 * 1024,
  messagesPerSecond: 100,
  burst: 200,
});

/** Message bodies nested deeper than this are refused (`message:nack` invalid) by both sides. */
export const maxBodyDepth = 64;

/** Longest id (sessionId, mid, rid) either side accepts. */
export const maxIdLength = 128;

/**
 * Bytes a `message` frame adds around its body: `{"type":"message","mid":"<128>","body":}` fits in
 * 200. A body of at most maxFrameBytes − this always fits in one frame.
 */
export const messageEnvelopeBytes = 200;
