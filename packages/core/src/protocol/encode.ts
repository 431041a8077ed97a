/**
 * Writing frames. Both encoders take the frame types the other side's parser returns, so a field
 * one side forgets or misspells is a compile error, not a frame the other side drops.
 */
import type { ClientFrame, ServerFrame } from './frames.js';

function encode(frame: ClientFrame | ServerFrame): string {
  // `type` first, as the protocol promises (readable logs, cheap dispatch for other implementations).
  const { type, ...rest } = frame;
  return JSON.stringify({ type, ...rest });
}

export const encodeClientFrame: (frame: ClientFrame) => string = encode;
export const encodeServerFrame: (frame: ServerFrame) => string = encode;

/**
 * An `event` frame around a body that is already JSON text, so a server that stores serialized
 * bodies never parses or stringifies them again to replay them. `bodyJson` must be valid JSON.
 */
export function encodeEventFrame(seq: number, from: string | null | undefined, bodyJson: string): string {
  const sender = typeof from === 'string' ? `,"from":${JSON.stringify(from)}` : '';
  return `{"type":"event","seq":${seq}${sender},"body":${bodyJson}}`;
}
