import { formatClockTime, formatRelative } from './format.js';
import type { TokenLife, TokenLifeMarker } from './token-life.js';

const labels: Record<TokenLifeMarker['kind'], string> = {
  start: 'issued',
  refresh: 'refresh',
  expiring: 'expiring',
  expiry: 'expiry',
  now: 'now',
};

/** The token's life on one bar, with the same moments listed as text below it. */
export function TokenBar({
  life,
  startKind,
  nowMs,
}: {
  life: TokenLife | null;
  startKind: 'issued' | 'seen';
  nowMs: number;
}) {
  if (life === null) return <p className="nxs-devtools__empty">No token expiry known.</p>;
  const label = (kind: TokenLifeMarker['kind']) => (kind === 'start' && startKind === 'seen' ? 'seen' : labels[kind]);
  return (
    <div className="nxs-devtools__token">
      <div className="nxs-devtools__bar" aria-hidden="true">
        <span className="nxs-devtools__bar-fill" style={{ width: `${life.elapsedPercent}%` }} />
        {life.markers.map((m) => (
          <span
            key={m.kind}
            className="nxs-devtools__bar-mark"
            data-kind={m.kind}
            style={{ left: `${m.percent}%` }}
            title={label(m.kind)}
          />
        ))}
      </div>
      <ul className="nxs-devtools__legend">
        {life.markers
          .filter((m) => m.kind !== 'now')
          .map((m) => (
            <li key={m.kind} data-kind={m.kind}>
              <span className="nxs-devtools__swatch" data-kind={m.kind} aria-hidden="true" />
              {label(m.kind)} {formatClockTime(m.atMs)} ({formatRelative(m.atMs, nowMs)})
            </li>
          ))}
      </ul>
    </div>
  );
}
