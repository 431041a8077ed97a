/**
 * The default retry schedule and resume window, drawn from the same numbers the engine uses
 * (core's backoff module and the documented defaults), so the picture cannot drift from the code.
 */
import { backoffScheduleMs, defaultBackoff } from '@nexmo-session/core';

/** Attempt start times after a loss at 0, when every attempt is refused at once. */
export function attemptTimesMs(): number[] {
  let t = 0;
  return backoffScheduleMs(defaultBackoff).map((delayMs) => {
    t += delayMs;
    return t;
  });
}

export const resumeWindowMs = 300_000;

export function RetrySchedule() {
  const attempts = attemptTimesMs();
  const spanMs = (attempts.at(-1) ?? 0) + 4000;
  const pct = (ms: number) => `${(ms / spanMs) * 100}%`;
  return (
    <figure className="schedule">
      <div className="schedule__track" aria-hidden="true">
        <span className="schedule__mark schedule__mark--loss" style={{ left: 0 }} />
        {attempts.map((at) => (
          <span key={at} className="schedule__mark" style={{ left: pct(at) }} />
        ))}
      </div>
      <ol className="schedule__list">
        <li>
          <strong>0 s</strong> connection lost: <code>disconnect('CONNECTION_FAILED')</code>
        </li>
        {attempts.map((at, i) => (
          <li key={at}>
            <strong>{at / 1000} s</strong> attempt {i + 1} of {attempts.length} starts:{' '}
            <code>reconnecting({i + 1})</code>
          </li>
        ))}
        <li>
          after attempt {attempts.length} fails: <code>error</code> of type{' '}
          <code>error:client:reconnection_failed</code>, status <strong>disconnected</strong>
        </li>
        <li>
          <strong>{resumeWindowMs / 60_000} min</strong> after the loss the resume window closes: a{' '}
          <code>connect()</code> after it starts a new session (<code>session:lost</code>)
        </li>
      </ol>
      <figcaption className="story-caption">
        Delays{' '}
        {backoffScheduleMs(defaultBackoff)
          .map((d) => `${d / 1000} s`)
          .join(', ')}{' '}
        (initialDelayMs {defaultBackoff.initialDelayMs}, factor {defaultBackoff.factor}, maxDelayMs{' '}
        {defaultBackoff.maxDelayMs}), counted from the failure of the previous attempt.
      </figcaption>
    </figure>
  );
}
