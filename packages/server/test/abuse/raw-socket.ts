/**
 * The cheapest possible WebSocket client, for attackers: a raw TCP socket after the HTTP upgrade.
 * It writes text frames (masked with a zero key, which servers must accept) and either discards
 * what it receives without decoding it, or does not read at all. Hundreds of MB can flow through
 * it without costing the test process the JSON and UTF-8 work a real client does.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

export interface RawSocket {
  readonly socket: Socket;
  /** Bytes received so far (not decoded). */
  readonly received: () => number;
  /** `message:ack` and `message:nack` frames received, counted in the raw bytes (frames are text). */
  readonly answers: () => number;
  send(text: string): void;
  close(): void;
}

// Both `message:ack` and `message:nack` frames start with this; event bodies here never contain it.
const answerMarker = '{"type":"message:';

function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const header = Buffer.alloc(n < 126 ? 6 : n < 65_536 ? 8 : 14); // mask key: the trailing zeros
  header[0] = 0x81; // FIN + text
  if (n < 126) header[1] = 0x80 | n;
  else if (n < 65_536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(n, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}

export function rawSocket(url: string, { read = true } = {}): Promise<RawSocket> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: hostname,
      port,
      path: pathname,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.on('upgrade', (_res, socket) => {
      let bytes = 0;
      let answers = 0;
      let tail = '';
      socket.on('error', () => {});
      if (read) {
        socket.on('data', (d: Buffer) => {
          bytes += d.length;
          // latin1: one char per byte, so a marker split across two chunks is found in tail + chunk.
          const text = tail + d.toString('latin1');
          answers += text.split(answerMarker).length - 1;
          tail = text.slice(-(answerMarker.length - 1));
        });
      } else {
        socket.pause();
      }
      resolve({
        socket,
        received: () => bytes,
        answers: () => answers,
        send: (text) => {
          if (!socket.destroyed) socket.write(textFrame(text));
        },
        close: () => socket.destroy(),
      });
    });
    req.end();
  });
}
