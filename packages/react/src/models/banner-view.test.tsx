import type { Notice } from '@nexmo-session/core';
import { describe, expect, it } from 'vitest';
import { defaultBannerMessages } from '../messages.js';
import type { BannerFacts, BannerModel } from './banner-view.js';
import { bannerText, bannerView } from './banner-view.js';

const facts = (notice: Notice | null, rest: Partial<BannerFacts> = {}): BannerFacts => ({
  notice,
  maxRetries: 5,
  nextRetryAt: 3100,
  sessionExpiresAt: 300_000,
  ...rest,
});

const hidden: BannerModel = {
  state: 'hidden',
  attempt: 0,
  phase: null,
  maxRetries: 5,
  nextRetryAt: null,
  sessionExpiresAt: null,
};

describe('bannerView', () => {
  it.each<[string, BannerFacts, Partial<BannerModel>]>([
    ['no notice (connected, idle, a blip not yet shown, TOKEN_EXPIRED)', facts(null), {}],
    [
      'waiting for attempt 2: its number and its start as the countdown target',
      facts({ kind: 'reconnecting', since: 0, attempt: 2, phase: 'waiting' }),
      { state: 'reconnecting', attempt: 2, phase: 'waiting', nextRetryAt: 3100 },
    ],
    [
      'attempt 2 running: no countdown (nextRetryAt is its own start)',
      facts({ kind: 'reconnecting', since: 0, attempt: 2, phase: 'trying' }),
      { state: 'reconnecting', attempt: 2, phase: 'trying' },
    ],
    [
      'a connect() outside the cycle: attempt 0',
      facts({ kind: 'reconnecting', since: 0, attempt: 0, phase: 'trying' }, { nextRetryAt: null }),
      { state: 'reconnecting', attempt: 0, phase: 'trying' },
    ],
    [
      'waiting, on a transport whose loop does not say when',
      facts({ kind: 'reconnecting', since: 0, attempt: 3, phase: 'waiting' }, { nextRetryAt: null }),
      { state: 'reconnecting', attempt: 3, phase: 'waiting', nextRetryAt: null },
    ],
    ['offline', facts({ kind: 'offline', since: 0 }, { nextRetryAt: null }), { state: 'offline' }],
    [
      'failed: the resume window as the countdown target',
      facts({ kind: 'failed', since: 31_500 }, { nextRetryAt: null }),
      { state: 'failed', sessionExpiresAt: 300_000 },
    ],
    ['resumed reads as reconnected', facts({ kind: 'resumed', at: 5 }), { state: 'reconnected' }],
    ['reconnected (the transport cannot tell)', facts({ kind: 'reconnected', at: 5 }), { state: 'reconnected' }],
    [
      'session lost',
      facts({ kind: 'session-lost', at: 5, previousSessionId: 'a', sessionId: 'b' }),
      { state: 'session-lost' },
    ],
    ['login failed', facts({ kind: 'login-failed', at: 5 }), { state: 'login-failed' }],
  ])('%s', (_name, input, expected) => {
    expect(bannerView(input)).toEqual({ ...hidden, ...expected });
  });

  it('gives equal fields for the same facts, so the banner can skip renders by shallow equality', () => {
    const notice: Notice = { kind: 'reconnecting', since: 0, attempt: 2, phase: 'waiting' };
    expect(bannerView(facts(notice))).toEqual(bannerView(facts({ ...notice })));
  });
});

describe('bannerText', () => {
  const text = (notice: Notice | null) => bannerText(bannerView(facts(notice)), defaultBannerMessages);
  it.each<[Notice | null, string, string]>([
    [null, '', ''],
    [
      { kind: 'reconnecting', since: 0, attempt: 2, phase: 'waiting' },
      'Connection lost. Waiting for attempt 2 of 5.',
      '',
    ],
    [
      { kind: 'reconnecting', since: 0, attempt: 2, phase: 'trying' },
      'Connection lost. Reconnecting (attempt 2 of 5)…',
      '',
    ],
    [{ kind: 'reconnecting', since: 0, attempt: 0, phase: 'trying' }, 'Connection lost. Reconnecting…', ''],
    [{ kind: 'offline', since: 0 }, 'You are offline. We will reconnect when the network is back.', ''],
    [{ kind: 'resumed', at: 0 }, 'Reconnected.', ''],
    [{ kind: 'failed', since: 0 }, '', 'Could not reconnect.'],
    [
      { kind: 'session-lost', at: 0, previousSessionId: 'a', sessionId: 'b' },
      '',
      'Your previous session could not be resumed, so a new one was started. Any active call has ended.',
    ],
    [{ kind: 'login-failed', at: 0 }, '', 'Sign-in failed: the server refused the token.'],
  ])('%j → polite %j, alert %j', (notice, polite, alert) => {
    expect(text(notice)).toEqual({ polite, alert });
  });
});
