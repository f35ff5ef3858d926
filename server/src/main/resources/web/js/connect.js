// /connect: signs in to a subscription through the server (POST /auth/PROVIDER/sign-in, decision 121) — ChatGPT
// Plus/Pro in a browser on the server's machine or with a device code, GitHub Copilot with a device code — and shows
// the page to open, the code to type and how it ended: the `auth.signin` event on the page's one stream.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from './api.js';
import {PROVIDER_SIGN_IN} from './api-routes.js';
import {onEvent} from './live.js';
import {requestRender} from './store.js';
import {closeDialog, dialogGeneration, modal, openDialog, openDialogName} from './dialog.js';
import {icon} from './icons.js';

/** What the dialog offers; `how` completes the plan's name into the button's accessible name. */
const CHOICES = [
    {provider: 'openai', device: false, plan: 'ChatGPT Plus/Pro', how: 'in a browser on the machine running Lathe'},
    {provider: 'openai', device: true, plan: 'ChatGPT Plus/Pro', how: 'with a code, from any browser or device'},
    {provider: 'github-copilot', device: true, plan: 'GitHub Copilot', how: 'with a code on GitHub'},
];

// {generation, directory, onSignedIn, step: 'choose'|'starting'|'waiting', provider, device, started, error, outcome, copied}
let flow = null;
// the arguments /connect was typed with, taken by the dialog's first render
let request = null;

/**
 * Opens the dialog for `directory` (the folder whose config names the issuer). `args` as typed after /connect:
 * "openai", "openai --device", "github-copilot" start that sign-in at once; nothing shows the choices.
 * `onSignedIn(provider)` runs once a sign-in succeeded (the model list has new entries).
 */
export function openConnect(directory, args, onSignedIn) {
    const words = (args ?? '').trim().split(/\s+/).filter(Boolean);
    const device = words.includes('--device');
    const provider = words.find((w) => w !== '--device');
    request = {directory, onSignedIn, provider, device};
    if (openDialogName() === 'connect') closeDialog();
    openDialog('connect');
}

onEvent((type, data) => {
    if (type !== 'auth.signin' || !flow || flow.outcome || (flow.step !== 'starting' && flow.step !== 'waiting')) return;
    const e = data && data.event && typeof data.event === 'object' ? data.event : (data || {});
    if (e.provider !== flow.provider) return;
    // it may end before the start's answer is read (a device code entered at once): kept, shown when it is
    flow.outcome = {signedIn: !!e.signedIn, error: e.error || 'the sign-in did not finish'};
    if (flow.outcome.signedIn) flow.onSignedIn?.(flow.provider);
    requestRender();
});

async function start(provider, device) {
    const f = flow;
    Object.assign(f, {step: 'starting', provider, device, started: null, error: null, outcome: null, copied: false});
    requestRender();
    try {
        const started = await api(PROVIDER_SIGN_IN, {params: {provider}, query: {device: device ? 'true' : 'false'}, directory: f.directory});
        if (flow !== f) return;
        f.started = started;
        f.step = 'waiting';
    } catch (e) {
        if (flow !== f) return;
        f.error = errorMessage(e);
        f.step = 'choose';
    }
    requestRender();
}

async function copyCode(code) {
    try {
        await navigator.clipboard.writeText(code);
    } catch {
        // no clipboard API (a plain-http page on another device): copy the selected code the old way
        const el = document.getElementById('signin-code');
        if (el) {
            window.getSelection()?.selectAllChildren(el);
            document.execCommand('copy');
        }
    }
    if (flow) flow.copied = true;
    requestRender();
}

/** Whether this page was opened on the machine running Lathe (where a browser sign-in can come back to). */
function onServerMachine() {
    const host = location.hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || host.startsWith('127.');
}

/** "WXYZ-1234" as a screen reader should read it: one character at a time. */
function spelled(code) {
    return [...code].map((c) => (c === '-' ? 'dash' : c)).join(' ');
}

function chooser(f) {
    return html`
        <p>Use the plan you already pay for instead of an API key. The sign-in runs in the Lathe server; its tokens are kept
            there (mode 0600) and renewed when they expire.</p>
        ${f.error ? html`<p class="form-error" role="alert">${f.error}</p>` : nothing}
        ${onServerMachine() ? nothing : html`<p class="banner banner-warn">This page is not on the machine running Lathe: OpenAI's
            page would send your browser back to <code>localhost</code> there. Use a code.</p>`}
        <div class="signin-choices">
            ${CHOICES.map((c) => html`<button type="button" class="signin-choice"
                    @click=${() => start(c.provider, c.device)}>
                <strong>${c.plan}</strong> <span class="muted">${c.how}</span>
            </button>`)}
        </div>
        <p class="note">Claude Pro/Max plans cannot sign in here: Anthropic allows their tokens only in Claude Code. To use
            Claude under your plan, run Claude Code as an ACP agent (<code>docs/editors.md</code>).</p>`;
}

function waiting(f) {
    const s = f.started;
    const code = s.userCode ?? null;
    return html`
        <h3 class="signin-plan">Sign in to ${s.plan}</h3>
        ${code ? html`
            <p>Open this page in any browser, sign in, and enter the code:</p>
            <p class="signin-link"><a href=${s.url} target="_blank" rel="noopener noreferrer">${s.url}</a></p>
            <div class="signin-code-row">
                <span id="signin-code" class="signin-code" aria-hidden="true">${code}</span>
                <span class="visually-hidden">Code: ${spelled(code)}</span>
                <button type="button" class="button" @click=${() => copyCode(code)}>${icon('copy')}<span>${f.copied ? 'Copied' : 'Copy the code'}</span></button>
            </div>` : html`
            <p>Open OpenAI's sign-in page in a browser on the machine running Lathe; it sends you back to Lathe when you are done.</p>
            <p class="signin-link"><a class="button primary" href=${s.url} target="_blank" rel="noopener noreferrer">Open the sign-in page</a></p>`}
        ${outcome(f)}`;
}

function outcome(f) {
    const o = f.outcome;
    if (!o) {
        return html`<p class="signin-status muted" role="status"><span class="signin-spinner" aria-hidden="true"></span>
            Waiting for you to finish signing in…</p>`;
    }
    if (o.signedIn) {
        return html`<div class="signin-done" role="status">
            <p><strong>Signed in.</strong> ${f.provider}'s models now use your ${f.started?.plan ?? 'subscription'} plan: pick one with
                <code>/model</code>.</p>
            <div class="form-actions"><button type="button" class="button primary" @click=${closeDialog}>Done</button></div>
        </div>`;
    }
    return html`<div role="alert">
        <p class="form-error">Could not sign in to ${f.provider}: ${o.error}</p>
        <div class="form-actions"><button type="button" class="button" @click=${() => { Object.assign(f, {step: 'choose', outcome: null, started: null}); requestRender(); }}>
            Try again</button></div>
    </div>`;
}

/** The dialog (main.js renders it while it is the open one). */
export function connectDialog() {
    if (!flow || flow.generation !== dialogGeneration()) {
        const r = request ?? {directory: '', onSignedIn: null};
        request = null;
        flow = {generation: dialogGeneration(), directory: r.directory, onSignedIn: r.onSignedIn, step: 'choose',
            provider: null, device: false, started: null, error: null, outcome: null, copied: false};
        // "/connect openai": that sign-in at once, as in the terminal UI
        if (r.provider) queueMicrotask(() => start(r.provider, r.device || r.provider === 'github-copilot'));
    }
    const f = flow;
    const body = html`<div class="signin">${f.step === 'waiting' ? waiting(f)
        : f.step === 'starting' ? html`<p class="muted" role="status">Starting the sign-in…</p>`
            : chooser(f)}</div>`;
    return modal('connect', 'Sign in with a subscription', body);
}
