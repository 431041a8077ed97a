/** What `publish` accepts, checked the same way whichever backend stores the event. */
import { jsonDepth, maxBodyDepth } from '@nexmo-session/core/protocol';
import { eventBytes } from '../replay-log.js';

/** JSON text of a value the app publishes, checked the way a client will check it. Throws at once. */
export function serializeBody(
  body: unknown,
  from: string | null,
  replayMaxBytes: number,
): { bodyJson: string; bodyBytes: number } {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (err) {
    throw new TypeError(`publish: the body is not JSON-serializable (${(err as Error).message})`);
  }
  if (json === undefined) throw new TypeError('publish: the body is not JSON-serializable');
  if (jsonDepth(json, maxBodyDepth) > maxBodyDepth) {
    throw new TypeError(`publish: the body is nested deeper than ${maxBodyDepth} levels; clients refuse it`);
  }
  const bodyBytes = Buffer.byteLength(json);
  if (eventBytes(bodyBytes, from) > replayMaxBytes) {
    throw new RangeError(`publish: the body (${bodyBytes} bytes) is larger than replayMaxBytes`);
  }
  return { bodyJson: json, bodyBytes };
}
