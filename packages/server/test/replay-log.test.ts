import { describe, expect, it } from 'vitest';
import { eventOverheadBytes } from '../src/limits.js';
import { InMemoryReplayLog } from '../src/replay-log.js';

const caps = { maxBytes: 1024 * 1024, maxEvents: 10_000 };

describe('replay log: serialized events, capped by bytes and count, firstSeq says what is gone', () => {
  it('starts empty: lastSeq 0, firstSeq 1', () => {
    const log = new InMemoryReplayLog(caps);
    expect({ lastSeq: log.lastSeq, firstSeq: log.firstSeq, count: log.count, bytes: log.bytes }).toEqual({
      lastSeq: 0,
      firstSeq: 1,
      count: 0,
      bytes: 0,
    });
  });

  it('keeps the body text it was given (shared, never re-serialized)', () => {
    const log = new InMemoryReplayLog(caps);
    const body = JSON.stringify({ text: 'hi' });
    const event = log.append('alice', body, body.length);
    expect(event).toEqual({ seq: 1, from: 'alice', bodyJson: body, bytes: body.length + 5 + eventOverheadBytes });
    expect(log.get(1)?.bodyJson).toBe(body);
  });

  it('drops the oldest past the byte cap; firstSeq moves past them', () => {
    const log = new InMemoryReplayLog(caps);
    const body = JSON.stringify('x'.repeat(50_000));
    for (let i = 0; i < 40; i++) log.append(null, body, body.length);
    expect(log.lastSeq).toBe(40);
    expect(log.bytes).toBeLessThanOrEqual(caps.maxBytes);
    expect(log.count).toBe(Math.floor(caps.maxBytes / (body.length + eventOverheadBytes)));
    expect(log.firstSeq).toBe(41 - log.count);
    expect(log.get(log.firstSeq - 1)).toBeUndefined();
    expect(log.get(log.firstSeq)?.seq).toBe(log.firstSeq);
    expect(log.get(40)?.seq).toBe(40);
  });

  it('drops the oldest past the count cap', () => {
    const log = new InMemoryReplayLog({ maxBytes: 1024 * 1024 * 1024, maxEvents: 10_000 });
    for (let i = 0; i < 12_345; i++) log.append(null, String(i), String(i).length);
    expect(log.count).toBe(10_000);
    expect(log.firstSeq).toBe(2346);
    expect(log.get(2346)?.bodyJson).toBe('2345');
    expect(log.get(12_345)?.bodyJson).toBe('12344');
  });

  it('a cumulative ack forgets what it covers; with nothing held, firstSeq is lastSeq + 1', () => {
    const log = new InMemoryReplayLog(caps);
    for (let i = 0; i < 5; i++) log.append(null, '1', 1);
    log.ackUpTo(3);
    expect({ firstSeq: log.firstSeq, count: log.count }).toEqual({ firstSeq: 4, count: 2 });
    log.ackUpTo(100);
    expect({ firstSeq: log.firstSeq, lastSeq: log.lastSeq, count: log.count, bytes: log.bytes }).toEqual({
      firstSeq: 6,
      lastSeq: 5,
      count: 0,
      bytes: 0,
    });
    expect(log.append(null, '2', 1).seq).toBe(6);
  });

  it('an event larger than the whole cap leaves the log empty rather than over the cap', () => {
    const log = new InMemoryReplayLog({ maxBytes: 1000, maxEvents: 10 });
    log.append(null, '1', 1);
    log.append(null, 'x'.repeat(2000), 2000);
    expect({ count: log.count, firstSeq: log.firstSeq, lastSeq: log.lastSeq }).toEqual({
      count: 0,
      firstSeq: 3,
      lastSeq: 2,
    });
  });

  it('trimming stays cheap and correct across many compactions', () => {
    const log = new InMemoryReplayLog({ maxBytes: 1024 * 1024 * 1024, maxEvents: 100 });
    for (let i = 1; i <= 50_000; i++) {
      log.append(null, String(i), 1);
      if (i % 7 === 0) log.ackUpTo(i - 3);
    }
    expect(log.lastSeq).toBe(50_000);
    for (let s = log.firstSeq; s <= log.lastSeq; s++) expect(log.get(s)?.bodyJson).toBe(String(s));
  });
});
