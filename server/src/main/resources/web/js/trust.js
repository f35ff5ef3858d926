// The trust question (DESIGN §14, §18): in a folder whose own files define something that runs code or reaches
// keys (hooks, MCP servers, provider URLs, `!cmd` in commands…) and that nobody trusted or declined yet, say what was
// skipped and ask once. A folder that defines nothing of the kind is never asked about. The new-session dialog asks
// before the first prompt; the session view asks when a session of such a folder is opened.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from './api.js';
import {TRUST, TRUST_SET} from './api-routes.js';
import {requestRender} from './store.js';

/**
 * Whether `info` (a TrustInfo) calls for the question: an untrusted folder nobody answered for that defines something,
 * or a trusted one with items added or changed since it was trusted (DESIGN §18 "Trust pins what it approved").
 */
export function needsAnswer(info) {
    if (!info || info.dismissed) return false;
    if (info.trusted) return (info.pending || []).length > 0;
    return !info.answered && (info.skipped || []).length > 0;
}

/** The server's warning names the command-line fix; here the buttons are the fix. */
function withoutCliHint(message) {
    return String(message || '').replace(/\s*\(run lathe trust[^)]*\)\s*$/, '');
}

/** One line per item pending approval, exactly as `lathe trust --show` prints it. */
function pendingList(info) {
    const pending = info.pending || [];
    if (pending.length === 0) return nothing;
    return html`<ul class="trust-pending" aria-label="What trust would allow">
        ${pending.map(p => html`<li><span class="trust-status">${p.status}</span> <code>${p.line}</code></li>`)}</ul>`;
}

/** Focuses the answer that keeps things as they are once the card is on the page: No is the default. */
function focusNo() {
    requestAnimationFrame(() => {
        const no = document.querySelector('.trust [data-default]');
        if (no && !no.dataset.focused) { no.dataset.focused = '1'; no.focus(); }
    });
}

/**
 * The question for `info`, answered through `answer(trusted)` (`dismiss()` for "not now" in a trusted folder);
 * nothing when it needs no answer. No comes first and has the focus: approving is a choice made after reading.
 */
export function trustCard(info, answer, dismiss = () => {}) {
    if (!needsAnswer(info)) return nothing;
    focusNo();
    if (info.trusted) {
        return html`<div class="trust" role="group" aria-label="Approve what changed?">
            <p><strong>Changed since you trusted this folder.</strong> Lathe does not run these until you approve them:</p>
            ${pendingList(info)}
            ${info.error ? html`<p class="error" role="alert">${info.error}</p>` : nothing}
            <div class="trust-actions">
                <button type="button" class="button" data-default @click=${() => dismiss()}>Not now</button>
                <button type="button" class="button" @click=${() => answer(true)}>Approve these</button>
            </div>
        </div>`;
    }
    return html`<div class="trust" role="group" aria-label="Trust this folder?">
        <p><strong>This folder defines things that run code.</strong> Until you trust it, Lathe skips them:</p>
        <ul>${info.skipped.map(s => html`<li><code>${s.source}</code>: ${withoutCliHint(s.message)}</li>`)}</ul>
        ${(info.pending || []).length ? html`<p>Trusting it allows:</p>` : nothing}
        ${pendingList(info)}
        ${info.error ? html`<p class="error" role="alert">${info.error}</p>` : nothing}
        <div class="trust-actions">
            <button type="button" class="button" data-default @click=${() => answer(false)}>Don't trust</button>
            <button type="button" class="button" @click=${() => answer(true)}>Trust this folder</button>
        </div>
    </div>`;
}

/** directory → TrustInfo, or 'loading'; fetched once per page load (answers elsewhere apply at the next prompt). */
const known = new Map();

function load(directory) {
    known.set(directory, 'loading');
    api(TRUST, {directory})
        .then((info) => known.set(directory, info))
        .catch(() => known.delete(directory))  // a config error: the first prompt reports it
        .finally(requestRender);
}

/**
 * The body of an answer to the question that showed `info`: trusting approves exactly the items it listed, so an item
 * changed between showing and clicking stays withheld and is asked about again.
 */
export function answerBody(info, trusted) {
    const approve = ((info && info.pending) || []).map(p => p.hash).filter(Boolean);
    return {trusted, approve};
}

async function answerFor(directory, trusted) {
    try {
        const info = await api(TRUST_SET, {directory, body: answerBody(known.get(directory), trusted)});
        known.set(directory, info || {trusted, answered: true, skipped: []});
    } catch (e) {
        known.set(directory, {...known.get(directory), error: errorMessage(e)});
    }
    requestRender();
}

/** The question for an open session's folder, loaded on first call. */
export function trustQuestion(directory) {
    if (!directory) return nothing;
    const info = known.get(directory);
    if (info === undefined) { load(directory); return nothing; }
    if (info === 'loading') return nothing;
    return trustCard(info, (trusted) => answerFor(directory, trusted), () => {
        known.set(directory, {...info, dismissed: true});
        requestRender();
    });
}
