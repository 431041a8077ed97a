import { useReducer, useRef, useState } from 'react';
import { faultsOf, serverUpOf } from './simulated-faults.js';

/** One button per fault the transport can inject (a simulated transport has them all). */
export function FaultButtons({ transport }: { transport: unknown }) {
  const faults = faultsOf(transport);
  const serverUp = serverUpOf(transport);
  const [rejecting, setRejecting] = useState(false);
  const pushed = useRef(0);
  // The transport's flags (isServerUp) live outside React: re-render after each click.
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const run = (fn: () => void) => () => {
    fn();
    rerender();
  };
  const buttons: Array<{ key: string; label: string; onClick: () => void; pressed?: boolean }> = [];
  if (faults.drop) buttons.push({ key: 'drop', label: 'Drop connection', onClick: run(faults.drop) });
  if (faults.serverDown) buttons.push({ key: 'serverDown', label: 'Server down', onClick: run(faults.serverDown) });
  if (faults.serverUp) buttons.push({ key: 'serverUp', label: 'Server up', onClick: run(faults.serverUp) });
  if (faults.refuseAttempts) {
    const refuse = faults.refuseAttempts;
    buttons.push({ key: 'refuseAttempts', label: 'Refuse next 3 attempts', onClick: run(() => refuse(3)) });
  }
  if (faults.rejectLogins) {
    const reject = faults.rejectLogins;
    buttons.push({
      key: 'rejectLogins',
      label: 'Reject logins',
      pressed: rejecting,
      onClick: run(() => {
        reject(!rejecting);
        setRejecting(!rejecting);
      }),
    });
  }
  if (faults.expireToken) buttons.push({ key: 'expireToken', label: 'Expire token', onClick: run(faults.expireToken) });
  if (faults.forgetSessions) {
    buttons.push({ key: 'forgetSessions', label: 'Forget sessions', onClick: run(faults.forgetSessions) });
  }
  if (faults.push) {
    const push = faults.push;
    buttons.push({
      key: 'push',
      label: 'Push event',
      onClick: run(() => push({ text: `event ${++pushed.current} from devtools` }, 'devtools')),
    });
  }
  if (buttons.length === 0) {
    return (
      <p className="nxs-devtools__note">
        Pass a simulated transport (<code>transport={'{sim}'}</code>) for fault buttons.
      </p>
    );
  }
  return (
    <div className="nxs-devtools__faults">
      {serverUp !== null ? <p className="nxs-devtools__note">Simulated server: {serverUp ? 'up' : 'down'}</p> : null}
      <div className="nxs-devtools__buttons">
        {buttons.map((b) => (
          <button
            key={b.key}
            type="button"
            className="nxs-devtools__button"
            onClick={b.onClick}
            aria-pressed={b.pressed}
            data-fault={b.key}
          >
            {b.label}
          </button>
        ))}
      </div>
    </div>
  );
}
