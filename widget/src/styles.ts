// Inside the shadow root. `.p` resets what the host page could still pass down by inheritance.
export const CSS = `
.p{all:initial;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;--c:#3b5bdb}
.p *{box-sizing:border-box;font:inherit;margin:0}
[hidden]{display:none!important}
button{cursor:pointer;border:0;background:var(--c);color:#fff;border-radius:8px;padding:8px 14px;font-weight:600}
button:focus-visible,input:focus-visible,textarea:focus-visible{outline:2px solid var(--c);outline-offset:2px}
.launcher{width:56px;height:56px;border-radius:50%;padding:0;display:grid;place-items:center;box-shadow:0 6px 20px rgba(0,0,0,.25)}
.panel{position:absolute;right:0;bottom:0;width:min(370px,calc(100vw - 40px));height:min(540px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);overflow:hidden}
header{display:flex;align-items:center;justify-content:space-between;padding:14px 16px;background:var(--c);color:#fff}
header strong{font-size:16px;font-weight:600}
.x{background:none;font-size:22px;line-height:1;padding:2px 8px}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f7fb}
.m{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.m.v{align-self:flex-end;background:var(--c);color:#fff;border-bottom-right-radius:4px}
.m.a{align-self:flex-start;background:#fff;border:1px solid #e3e6ee;border-bottom-left-radius:4px}
.m.v.sending{background:#e1e6fb;color:#1d2433}
.st{display:block;font-size:11px;color:#4a5268;animation:st 1.5s step-end}
@keyframes st{0%{font-size:0;visibility:hidden}}
.who{display:block;font-size:12px;font-weight:600;color:#5c6478;margin-bottom:2px}
.typing,.note{padding:4px 16px;font-size:12px;color:#5c6478}
.note{color:#b42318}
.pre{padding:14px 16px;display:flex;flex-direction:column;gap:10px;border-top:1px solid #e3e6ee}
.f{display:flex;flex-wrap:wrap;gap:2px 8px}
.f label{font-weight:600;font-size:13px}
.opt{font-size:12px;color:#5c6478}
input,textarea{width:100%;border:1px solid #c9ceda;border-radius:8px;padding:8px 10px;background:#fff;color:#1d2433}
.err{width:100%;color:#b42318;font-size:12px}
.err:empty{display:none}
.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e6ee;align-items:flex-end}
textarea{resize:none;max-height:120px}
`;
