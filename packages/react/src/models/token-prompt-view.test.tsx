import type { SessionErrorInfo } from '@nexmo-session/core';
import { describe, expect, it } from 'vitest';
import type { TokenPromptContext, TokenPromptFacts, TokenPromptModel } from './token-prompt-view.js';
import { promptView } from './token-prompt-view.js';

const connected: TokenPromptFacts = {
  status: 'connected',
  disconnectReason: null,
  tokenStatus: 'valid',
  tokenExpiresAt: 600_000,
  sessionExpiresAt: null,
  error: null,
};
const expired: TokenPromptFacts = {
  ...connected,
  status: 'disconnected',
  disconnectReason: 'TOKEN_EXPIRED',
  tokenStatus: 'expired',
  tokenExpiresAt: 0,
  sessionExpiresAt: 300_000,
};
const fetchFailed: SessionErrorInfo = {
  type: 'error:client:fetch_token_failed',
  message: 'Could not get a new token: down.',
};
const tokenInvalid: SessionErrorInfo = { type: 'error:client:token_invalid', message: 'The server refused the token.' };

const withFetchToken: TokenPromptContext = { autoRefresh: true, appRefresh: false, pending: false, failed: null };
const withOnRefresh: TokenPromptContext = { autoRefresh: false, appRefresh: true, pending: false, failed: null };
const withNeither: TokenPromptContext = { autoRefresh: false, appRefresh: false, pending: false, failed: null };

const hidden: TokenPromptModel = { state: 'hidden', tokenExpiresAt: null, sessionExpiresAt: null, action: null };

describe('promptView', () => {
  it.each<[string, TokenPromptFacts, TokenPromptContext, Partial<TokenPromptModel>]>([
    // fetchToken keeps the token fresh: out of the way
    ['fetchToken, valid', connected, withFetchToken, {}],
    [
      'fetchToken, inside tokenExpiringMs: the engine refreshes by itself',
      { ...connected, tokenStatus: 'expiring' },
      withFetchToken,
      {},
    ],
    [
      'fetchToken, a routine refresh in flight: no "refreshing" either',
      { ...connected, tokenStatus: 'refreshing' },
      withFetchToken,
      {},
    ],
    [
      'fetchToken, a refresh failed and the token is expiring: expiring, refreshToken()',
      { ...connected, tokenStatus: 'expiring', error: fetchFailed },
      withFetchToken,
      { state: 'expiring', tokenExpiresAt: 600_000, action: 'refresh' },
    ],
    [
      'fetchToken, the server refused the refreshed token',
      { ...connected, tokenStatus: 'expiring', error: tokenInvalid },
      withFetchToken,
      { state: 'expiring', tokenExpiresAt: 600_000, action: 'refresh' },
    ],
    [
      'fetchToken, retrying a failed refresh',
      { ...connected, tokenStatus: 'refreshing', error: fetchFailed },
      withFetchToken,
      { state: 'refreshing' },
    ],
    [
      'fetchToken, TOKEN_EXPIRED: the engine is fetching already',
      { ...expired, tokenStatus: 'refreshing' },
      withFetchToken,
      { state: 'refreshing' },
    ],
    [
      'fetchToken, TOKEN_EXPIRED before the fetch starts: expired, "Sign in again" is refreshToken()',
      expired,
      withFetchToken,
      { state: 'expired', sessionExpiresAt: 300_000, action: 'refresh' },
    ],
    [
      'fetchToken, TOKEN_EXPIRED and the fetch failed: refresh-failed, refreshToken()',
      { ...expired, error: fetchFailed },
      withFetchToken,
      { state: 'refresh-failed', sessionExpiresAt: 300_000, action: 'refresh' },
    ],
    [
      'fetchToken failed at login (no token at all): refresh-failed, connect()',
      { ...connected, status: 'disconnected', tokenStatus: 'none', tokenExpiresAt: null, error: fetchFailed },
      withFetchToken,
      { state: 'refresh-failed', action: 'connect' },
    ],
    // without fetchToken: the app's onRefresh
    ['onRefresh, valid', connected, withOnRefresh, {}],
    [
      'onRefresh, expiring',
      { ...connected, tokenStatus: 'expiring' },
      withOnRefresh,
      { state: 'expiring', tokenExpiresAt: 600_000, action: 'app' },
    ],
    [
      'onRefresh running',
      { ...connected, tokenStatus: 'expiring' },
      { ...withOnRefresh, pending: true },
      { state: 'refreshing' },
    ],
    [
      'onRefresh failed for this token',
      { ...connected, tokenStatus: 'expiring' },
      { ...withOnRefresh, failed: { tokenExpiresAt: 600_000 } },
      { state: 'refresh-failed', action: 'app' },
    ],
    [
      'onRefresh failed for an older token: forgotten',
      { ...connected, tokenStatus: 'valid', tokenExpiresAt: 900_000 },
      { ...withOnRefresh, failed: { tokenExpiresAt: 600_000 } },
      {},
    ],
    [
      'onRefresh, TOKEN_EXPIRED: expired, the app refreshes then connect()',
      expired,
      withOnRefresh,
      { state: 'expired', sessionExpiresAt: 300_000, action: 'app' },
    ],
    [
      'onRefresh failed after TOKEN_EXPIRED',
      expired,
      { ...withOnRefresh, failed: { tokenExpiresAt: 0 } },
      { state: 'refresh-failed', sessionExpiresAt: 300_000, action: 'app' },
    ],
    [
      'neither, expiring: the time left, nothing to press',
      { ...connected, tokenStatus: 'expiring' },
      withNeither,
      { state: 'expiring', tokenExpiresAt: 600_000 },
    ],
    ['neither, TOKEN_EXPIRED', expired, withNeither, { state: 'expired', sessionExpiresAt: 300_000 }],
    // not the prompt's business
    [
      'a connection failure is the banner’s',
      {
        ...connected,
        status: 'disconnected',
        disconnectReason: 'CONNECTION_FAILED',
        error: { type: 'error:client:reconnection_failed', message: '' },
      },
      withFetchToken,
      {},
    ],
    ['idle', { ...connected, status: 'idle', tokenStatus: 'none', tokenExpiresAt: null }, withOnRefresh, {}],
  ])('%s', (_name, facts, ctx, expected) => {
    expect(promptView(facts, ctx)).toEqual({ ...hidden, ...expected });
  });
});
