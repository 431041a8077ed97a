/**
 * `npm start`'s terminal: Vite prints every proxy error with its stack, twice for a WebSocket
 * ("ws proxy error" and "ws proxy socket error" for the same failure). The playground's fault
 * buttons kill sockets on purpose, so a write racing the close (EPIPE, ECONNRESET) is expected:
 * it is already visible in the playground's event log and says nothing new here. Other proxy
 * errors keep one line each, without the stack.
 */
import type { Logger } from 'vite';
import { createLogger } from 'vite';

const expectedDisconnects = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED']);
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colours Vite adds
const ansi = /\u001b\[[0-9;]*m/g;

export function devProxyLogger(): Logger {
  const logger = createLogger();
  const logError = logger.error.bind(logger);
  const reported = new WeakSet<object>();
  logger.error = (msg, options) => {
    const err = options?.error;
    const headline = msg.split('\n')[0]?.replace(ansi, '').trim() ?? '';
    if (!err || !/proxy (socket )?error/.test(headline)) return logError(msg, options);
    if (reported.has(err)) return; // the second report of the same socket failure
    reported.add(err);
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && expectedDisconnects.has(code)) return;
    const hint = code === 'ECONNREFUSED' ? ' (is the session server running?)' : '';
    logError(`${headline} ${err.message}${hint}`, { timestamp: true });
  };
  return logger;
}
