/**
 * The connection lifecycle: the five public statuses and the transitions between them (design §2.1,
 * §2.4), drawn as a picture and listed as a table from the same data. The table is what a screen
 * reader gets; the picture is labelled as a whole.
 */
import type { ConnectionStatus } from '@nexmo-session/core';
import type { ReactNode } from 'react';

const box = { width: 150, height: 44 };
const nodes: Record<ConnectionStatus, { x: number; y: number }> = {
  idle: { x: 20, y: 148 },
  connecting: { x: 250, y: 148 },
  connected: { x: 500, y: 38 },
  reconnecting: { x: 750, y: 148 },
  disconnected: { x: 500, y: 278 },
};

interface Edge {
  from: ConnectionStatus;
  to: ConnectionStatus;
  /** Short, on the arrow. */
  label: string;
  when: ReactNode;
  events: ReactNode;
  /** Shifts the line sideways, so two opposite edges between the same boxes do not overlap. */
  offset?: number;
  labelDx?: number;
  labelDy?: number;
}

export const lifecycleEdges: readonly Edge[] = [
  {
    from: 'idle',
    to: 'connecting',
    label: 'login()',
    labelDy: -8,
    when: <code>login(token)</code>,
    events: <code>status('connecting')</code>,
  },
  {
    from: 'connecting',
    to: 'connected',
    label: 'session:success',
    labelDx: -58,
    labelDy: -8,
    when: 'the server accepts the token',
    events: <code>status('connected')</code>,
  },
  {
    from: 'connecting',
    to: 'disconnected',
    label: 'token refused',
    offset: -8,
    labelDx: 70,
    labelDy: -25,
    when: 'the server refuses the token',
    events: (
      <>
        <code>error</code> (<code>error:client:login_failed</code>); no retries
      </>
    ),
  },
  {
    from: 'connected',
    to: 'reconnecting',
    label: 'connection lost',
    offset: -8,
    labelDx: 50,
    labelDy: -10,
    when: 'the connection is lost',
    events: (
      <>
        <code>disconnect('CONNECTION_FAILED')</code>, then <code>reconnecting(n)</code> as attempt n starts
      </>
    ),
  },
  {
    from: 'reconnecting',
    to: 'connected',
    label: 'attempt n succeeds',
    offset: -8,
    labelDx: -40,
    labelDy: 30,
    when: 'attempt n succeeds',
    events: (
      <>
        <code>reconnect</code>, then <code>session:resumed</code> (same sessionId)
      </>
    ),
  },
  {
    from: 'reconnecting',
    to: 'disconnected',
    label: 'attempt 5 failed',
    labelDx: 60,
    labelDy: 14,
    when: 'the last attempt fails',
    events: (
      <>
        <code>error</code> (<code>error:client:reconnection_failed</code>)
      </>
    ),
  },
  {
    from: 'connected',
    to: 'disconnected',
    label: 'TOKEN_EXPIRED',
    offset: 10,
    labelDx: 58,
    when: 'the server says TOKEN_EXPIRED',
    events: (
      <>
        <code>disconnect('TOKEN_EXPIRED')</code>; no attempts with the dead token (with <code>fetchToken</code>: a new
        token, then connecting)
      </>
    ),
  },
  {
    from: 'disconnected',
    to: 'connecting',
    label: 'connect() · new token',
    offset: -8,
    labelDx: -40,
    labelDy: 45,
    when: (
      <>
        <code>connect()</code>, or a new token from <code>fetchToken</code>
      </>
    ),
    events: (
      <>
        once connected: inside the window <code>session:resumed</code>, after it <code>session:lost</code>
      </>
    ),
  },
];

const centre = (s: ConnectionStatus) => ({ x: nodes[s].x + box.width / 2, y: nodes[s].y + box.height / 2 });

/** Where the segment from the box's centre towards (dx, dy) leaves the box. */
function exitPoint(s: ConnectionStatus, dx: number, dy: number) {
  const c = centre(s);
  const scale = Math.min(box.width / 2 / Math.abs(dx || 1e-9), box.height / 2 / Math.abs(dy || 1e-9));
  return { x: c.x + dx * scale, y: c.y + dy * scale };
}

function EdgeLine({ edge }: { edge: Edge }) {
  const a = centre(edge.from);
  const b = centre(edge.to);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy);
  const nx = (-dy / length) * (edge.offset ?? 0);
  const ny = (dx / length) * (edge.offset ?? 0);
  const start = exitPoint(edge.from, dx, dy);
  const end = exitPoint(edge.to, -dx, -dy);
  const mid = { x: (start.x + end.x) / 2 + nx, y: (start.y + end.y) / 2 + ny };
  return (
    <g>
      <line
        x1={start.x + nx}
        y1={start.y + ny}
        x2={end.x + nx}
        y2={end.y + ny}
        className="lifecycle__edge"
        markerEnd="url(#lifecycle-arrow)"
      />
      <text x={mid.x + (edge.labelDx ?? 0)} y={mid.y + (edge.labelDy ?? 0)} className="lifecycle__label">
        {edge.label}
      </text>
    </g>
  );
}

export function LifecycleDiagram() {
  return (
    <figure className="lifecycle">
      <svg
        viewBox="0 0 920 340"
        role="img"
        aria-label="Connection statuses: idle, connecting, connected, reconnecting, disconnected, and the transitions between them (listed in the table below)."
      >
        <defs>
          <marker
            id="lifecycle-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className="lifecycle__arrow" />
          </marker>
        </defs>
        {lifecycleEdges.map((edge) => (
          <EdgeLine key={`${edge.from}-${edge.to}`} edge={edge} />
        ))}
        {(Object.keys(nodes) as ConnectionStatus[]).map((status) => (
          <g key={status} className="lifecycle__node" data-state={status}>
            <rect x={nodes[status].x} y={nodes[status].y} width={box.width} height={box.height} rx="8" />
            <text x={centre(status).x} y={centre(status).y + 5} textAnchor="middle">
              {status}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="story-caption">
        From any status, <code>logout()</code> returns to <strong>idle</strong>.
      </figcaption>
      <table className="lifecycle__table">
        <caption>Transitions</caption>
        <thead>
          <tr>
            <th scope="col">from</th>
            <th scope="col">to</th>
            <th scope="col">when</th>
            <th scope="col">events</th>
          </tr>
        </thead>
        <tbody>
          {lifecycleEdges.map((edge) => (
            <tr key={`${edge.from}-${edge.to}`}>
              <td>{edge.from}</td>
              <td>{edge.to}</td>
              <td>{edge.when}</td>
              <td>{edge.events}</td>
            </tr>
          ))}
          <tr>
            <td>any</td>
            <td>idle</td>
            <td>
              <code>logout()</code>
            </td>
            <td>
              <code>disconnect('CLIENT_DISCONNECTED')</code>
            </td>
          </tr>
        </tbody>
      </table>
    </figure>
  );
}
