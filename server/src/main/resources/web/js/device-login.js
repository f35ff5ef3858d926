// "Open on another device": a fresh one-time login link for a phone or another computer, as a QR code and as text.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from './api.js';
import {LOGIN_CODE} from './api-routes.js';
import {requestRender} from './store.js';
import {dialogGeneration, modal} from './dialog.js';
import {countdown} from './format.js';
import {icon} from './icons.js';

let login = null; // {generation, code?: {url, expiresAt, qr}, error, copied}
let ticker = null;

async function fetchCode() {
    const l = login;
    l.code = null;
    l.error = null;
    l.copied = false;
    requestRender();
    try {
        l.code = await api(LOGIN_CODE);
    } catch (e) {
        l.error = errorMessage(e);
    }
    requestRender();
}

async function copy(text) {
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        // no clipboard API on a plain-http remote page: select the text the old way
        const input = document.getElementById('device-url');
        if (input) {
            input.select();
            document.execCommand('copy');
        }
    }
    login.copied = true;
    requestRender();
}

function tick() {
    // the countdown moves every second while the dialog is open; stops itself when it closes
    clearInterval(ticker);
    ticker = setInterval(() => {
        if (!document.getElementById('device-url') && !document.querySelector('.device-login')) {
            clearInterval(ticker);
            ticker = null;
            return;
        }
        requestRender();
    }, 1000);
}

/** Whether a URL points at this machine's loopback address (useless from another device). */
function loopback(url) {
    try {
        const host = new URL(url).hostname;
        return host === 'localhost' || host === '[::1]' || host === '::1' || host.startsWith('127.');
    } catch {
        return false;
    }
}

export function deviceLoginDialog() {
    if (!login || login.generation !== dialogGeneration()) {
        login = {generation: dialogGeneration(), code: null, error: null, copied: false};
        fetchCode();
        tick();
    }
    const l = login;
    const left = l.code ? l.code.expiresAt - Date.now() : 0;
    const expired = l.code && left <= 0;
    const body = html`<div class="device-login">
        <p>Scan the code with a phone, or open the link in another browser. The link works once and only for a few minutes.</p>
        ${l.error ? html`<p class="form-error" role="alert">${l.error}</p>` : nothing}
        ${!l.code && !l.error ? html`<p class="muted">Getting a login link…</p>` : nothing}
        ${l.code ? html`
            <div class="qr ${expired ? 'expired' : ''}">
                ${l.code.qr ? html`<img src=${l.code.qr} width="220" height="220" alt="QR code of the login link">` : nothing}
            </div>
            <div class="copy-row">
                <input id="device-url" type="text" readonly aria-label="Login link" .value=${l.code.url}
                    @focus=${(e) => e.target.select()}>
                <button type="button" class="button" @click=${() => copy(l.code.url)}>${icon('copy')}<span>${l.copied ? 'Copied' : 'Copy'}</span></button>
            </div>
            <p class="expiry" aria-live="polite">${expired
                ? html`This link expired. <button type="button" class="link-button" @click=${fetchCode}>Get a new one</button>`
                : html`Expires in <span class="mono">${countdown(left)}</span>`}</p>` : nothing}
        ${l.code && loopback(l.code.url) ? html`<p class="banner banner-warn">This link names <code>${new URL(l.code.url).host}</code>,
            which on a phone is the phone itself. Open this page through an address the phone can reach first.</p>` : nothing}
        <p class="note">A phone can only open it if it can reach this server: by default Lathe listens on this machine only.
            “Remote use” in <code>docs/web.md</code> shows how: an SSH tunnel or a TLS reverse proxy.</p>
    </div>`;
    return modal('device', 'Open on another device', body);
}
