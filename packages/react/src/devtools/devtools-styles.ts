/**
 * The devtools' own stylesheet, rendered by the component: the entry works without importing any
 * CSS, and apps that never import the devtools never ship it. Colours follow prefers-color-scheme,
 * or `nxs-dark` / `data-theme="dark"` (and `nxs-light` / `data-theme="light"`) on an ancestor.
 */
const light = `--nxs-dt-bg:#ffffff;--nxs-dt-fg:#1f2933;--nxs-dt-muted:#52606d;--nxs-dt-border:#cbd2d9;--nxs-dt-row:#f5f7fa;--nxs-dt-accent:#1d4ed8;--nxs-dt-button-bg:#1f2933;--nxs-dt-button-fg:#ffffff;--nxs-dt-pressed:#1d4ed8;--nxs-dt-ok:#1f9d55;--nxs-dt-warn:#b7791f;--nxs-dt-bad:#c53030;--nxs-dt-refresh:#1d4ed8;`;
const dark = `--nxs-dt-bg:#111827;--nxs-dt-fg:#e4e7eb;--nxs-dt-muted:#b8c2cc;--nxs-dt-border:#3e4c59;--nxs-dt-row:#1f2933;--nxs-dt-accent:#93c5fd;--nxs-dt-button-bg:#e4e7eb;--nxs-dt-button-fg:#111827;--nxs-dt-pressed:#93c5fd;--nxs-dt-ok:#3ecf8e;--nxs-dt-warn:#f2c14e;--nxs-dt-bad:#f07878;--nxs-dt-refresh:#93c5fd;`;

export const devtoolsCss = `
.nxs-devtools{${light}font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--nxs-dt-fg)}
@media (prefers-color-scheme:dark){.nxs-devtools{${dark}}}
.nxs-dark .nxs-devtools,[data-theme="dark"] .nxs-devtools,.nxs-devtools.nxs-dark{${dark}}
.nxs-light .nxs-devtools,[data-theme="light"] .nxs-devtools,.nxs-devtools.nxs-light{${light}}
.nxs-devtools *{box-sizing:border-box}
.nxs-devtools__toggle{display:inline-flex;align-items:center;gap:6px;padding:6px 10px;border:1px solid var(--nxs-dt-border);border-radius:999px;background:var(--nxs-dt-bg);color:var(--nxs-dt-fg);font:inherit;cursor:pointer}
.nxs-devtools__dot{width:8px;height:8px;border-radius:50%;background:var(--nxs-dt-muted)}
.nxs-devtools__dot[data-status="connected"]{background:var(--nxs-dt-ok)}
.nxs-devtools__dot[data-status="connecting"],.nxs-devtools__dot[data-status="reconnecting"]{background:var(--nxs-dt-warn)}
.nxs-devtools__dot[data-status="disconnected"]{background:var(--nxs-dt-bad)}
.nxs-devtools :focus-visible{outline:2px solid var(--nxs-dt-accent);outline-offset:2px}
.nxs-devtools[data-position="fixed"] .nxs-devtools__toggle{position:fixed;right:12px;bottom:12px;z-index:2147483001}
.nxs-devtools[data-position="fixed"][data-state="open"] .nxs-devtools__toggle{bottom:calc(45vh + 12px)}
.nxs-devtools[data-position="fixed"] .nxs-devtools__panel{position:fixed;left:0;right:0;bottom:0;height:45vh;z-index:2147483000;box-shadow:0 -4px 16px rgb(0 0 0 / 0.2)}
.nxs-devtools[data-position="inline"] .nxs-devtools__panel{margin-top:8px}
.nxs-devtools__panel{display:flex;flex-direction:column;background:var(--nxs-dt-bg);color:var(--nxs-dt-fg);border:1px solid var(--nxs-dt-border);border-radius:6px;overflow:hidden}
.nxs-devtools__header{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:6px 10px;border-bottom:1px solid var(--nxs-dt-border)}
.nxs-devtools__title{font-size:13px;margin:0;font-weight:700}
.nxs-devtools__status{color:var(--nxs-dt-muted);min-width:0;overflow-wrap:anywhere}
.nxs-devtools__header-actions{margin-left:auto;display:flex;gap:6px}
.nxs-devtools__body{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:0;overflow:auto;flex:1}
.nxs-devtools__section{padding:8px 10px;border-bottom:1px solid var(--nxs-dt-border);min-width:0}
.nxs-devtools__section--events{grid-row:span 4;border-right:1px solid var(--nxs-dt-border);display:flex;flex-direction:column;min-height:0}
.nxs-devtools__heading{font-size:12px;margin:0 0 6px;text-transform:uppercase;letter-spacing:.05em;color:var(--nxs-dt-muted)}
.nxs-devtools__timeline{list-style:none;margin:0;padding:0;overflow:auto;flex:1;max-height:100%}
.nxs-devtools[data-position="inline"] .nxs-devtools__timeline{max-height:26rem}
.nxs-devtools__event{display:grid;grid-template-columns:7.5em 10em 1fr;gap:6px;padding:2px 4px;border-radius:3px}
.nxs-devtools__event:nth-child(odd){background:var(--nxs-dt-row)}
.nxs-devtools__time{color:var(--nxs-dt-muted);font-variant-numeric:tabular-nums}
.nxs-devtools__event-name{font-weight:700}
.nxs-devtools__event[data-event="error"] .nxs-devtools__event-name,.nxs-devtools__event[data-event="disconnect"] .nxs-devtools__event-name,.nxs-devtools__event[data-event="session:lost"] .nxs-devtools__event-name{color:var(--nxs-dt-bad)}
.nxs-devtools__event-detail{overflow-wrap:anywhere}
.nxs-devtools__table{border-collapse:collapse;width:100%}
.nxs-devtools__table th,.nxs-devtools__table td{text-align:left;vertical-align:top;padding:1px 4px;overflow-wrap:anywhere}
.nxs-devtools__table th{font-weight:400;color:var(--nxs-dt-muted);width:40%}
.nxs-devtools__empty,.nxs-devtools__note{color:var(--nxs-dt-muted);margin:0}
.nxs-devtools__outbox p{margin:0 0 4px}
.nxs-devtools__list{margin:0;padding-left:1.5em}
.nxs-devtools__bar{position:relative;height:10px;margin:6px 4px 10px;border-radius:5px;background:var(--nxs-dt-row);border:1px solid var(--nxs-dt-border)}
.nxs-devtools__bar-fill{position:absolute;left:0;top:0;bottom:0;border-radius:5px;background:var(--nxs-dt-border)}
.nxs-devtools__bar-mark{position:absolute;top:-4px;width:3px;height:16px;margin-left:-1.5px;border-radius:1px;background:var(--nxs-dt-fg)}
[data-kind="refresh"]{--nxs-dt-mark:var(--nxs-dt-refresh)}
[data-kind="expiring"]{--nxs-dt-mark:var(--nxs-dt-warn)}
[data-kind="expiry"]{--nxs-dt-mark:var(--nxs-dt-bad)}
[data-kind="start"]{--nxs-dt-mark:var(--nxs-dt-ok)}
.nxs-devtools__bar-mark[data-kind]{background:var(--nxs-dt-mark,var(--nxs-dt-fg))}
.nxs-devtools__bar-mark[data-kind="now"]{background:var(--nxs-dt-fg);width:2px}
.nxs-devtools__legend{list-style:none;margin:0;padding:0;display:grid;gap:2px}
.nxs-devtools__swatch{display:inline-block;width:8px;height:8px;margin-right:6px;border-radius:2px;background:var(--nxs-dt-mark,var(--nxs-dt-fg))}
.nxs-devtools__buttons{display:flex;flex-wrap:wrap;gap:6px}
.nxs-devtools__button{font:inherit;padding:3px 8px;border:1px solid var(--nxs-dt-button-bg);border-radius:4px;background:var(--nxs-dt-button-bg);color:var(--nxs-dt-button-fg);cursor:pointer}
.nxs-devtools__button--quiet{background:transparent;color:var(--nxs-dt-fg);border-color:var(--nxs-dt-border)}
.nxs-devtools__button[aria-pressed="true"]{background:var(--nxs-dt-pressed);border-color:var(--nxs-dt-pressed);color:var(--nxs-dt-bg)}
@media (max-width:720px){.nxs-devtools__body{display:block}.nxs-devtools__section--events{border-right:0;display:block}.nxs-devtools__timeline{max-height:14rem}}
`;
