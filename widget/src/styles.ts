// Inside the shadow root. `.p` resets what the host page could still pass down by inheritance;
// its custom properties carry the workspace's look (view.ts sets them): --c the brand colour, --on
// the text on it, --ring the focus ring on white. Every colour pair here reads at WCAG AA or better.

/** Below this width the open widget takes the whole screen, its text boxes in 16px type (iOS zooms into any smaller one it focuses). */
export const PHONE = "(max-width: 480px)";

export const CSS = `
.p{all:initial;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;--c:#3b5bdb;--on:#fff;--ring:#1d2433}
:where(.p *){box-sizing:border-box;font:inherit;margin:0}
[hidden]{display:none!important}
button{cursor:pointer;border:0;background:var(--c);color:var(--on);border-radius:8px;padding:8px 14px;font-weight:600}
:focus-visible{outline:2px solid var(--ring);outline-offset:2px}
header :focus-visible{outline-color:var(--on)}
.launcher,.panel{position:fixed;right:20px;bottom:20px;z-index:2147483647}
.l .launcher,.l .panel{right:auto;left:20px}
.launcher{height:56px;min-width:56px;border-radius:28px;padding:0 15px;display:flex;align-items:center;justify-content:center;gap:8px;white-space:nowrap;box-shadow:0 6px 20px rgba(0,0,0,.25)}
.launcher:focus-visible{box-shadow:0 0 0 2px #fff,0 6px 20px rgba(0,0,0,.25)}
.lb:empty{display:none}
.panel{width:min(370px,calc(100vw - 40px));height:min(540px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);overflow:hidden}
header{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:14px 16px;background:var(--c);color:var(--on)}
h2{font-size:16px;font-weight:600}
.x{background:none;color:inherit;font-size:22px;line-height:1;padding:2px 8px}
.away{padding:8px 16px;font-size:13px;background:#fff4d6;border-bottom:1px solid #f0dca0}
.log{flex:1;min-height:72px;overflow-y:auto;overscroll-behavior:contain;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f7fb}
.log:focus-visible{outline-offset:-2px}
.m{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.m.v{align-self:flex-end;background:var(--c);color:var(--on);border-bottom-right-radius:4px}
.m.a{align-self:flex-start;background:#fff;border:1px solid #e3e6ee;border-bottom-left-radius:4px}
.m.v.sending{background:#e1e6fb;color:#1d2433}
.st{display:block;font-size:11px;color:#4a5268;animation:st 1.5s step-end}
@keyframes st{0%{font-size:0;visibility:hidden}}
.who{display:block;font-size:12px;font-weight:600;color:#5c6478;margin-bottom:2px}
.typing,.note{padding:4px 16px;font-size:12px;color:#5c6478}
.note{color:#b42318}
.pre{padding:14px 16px;display:flex;flex-direction:column;gap:10px;border-top:1px solid #e3e6ee;overflow-y:auto}
.f{display:flex;flex-wrap:wrap;gap:2px 8px}
.f label{font-weight:600;font-size:13px}
.opt{font-size:12px;color:#5c6478}
input,textarea{width:100%;border:1px solid #8a93a8;border-radius:8px;padding:8px 10px;background:#fff;color:#1d2433}
::placeholder{color:#5c6478;opacity:1}
.err{width:100%;color:#b42318;font-size:12px}
.err:empty{display:none}
.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e6ee;align-items:flex-end}
textarea{resize:none;max-height:120px}
@media ${PHONE}{.p .panel{inset:0;width:auto;height:auto;border-radius:0}input,textarea{font-size:16px}}
`;
