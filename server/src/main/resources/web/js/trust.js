// The trust question (DESIGN §14, §18): in a folder whose own files define something that runs code or reaches
// keys (hooks, MCP servers, provider URLs, `!cmd` in commands…) and that nobody trusted or declined yet, say what was
// skipped and ask once. A folder that defines nothing of the kind is never asked about. The new-session dialog asks
// before the first prompt; the session view asks when a session of such a folder is opened.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from './api.js';
import {requestRender} from './store.js';

/** Whether `info` (a TrustInfo) calls for the question. */
export function needsAnswer(info) {
    return !!info && !info.trusted && !info.answered && (info.skipped || []).length > 0;
}

/** The server's warning names the command-line fix; here the buttons are the fix. */
function withoutCliHint(message) {
    return String(message || '').replace(/\s*\(run lathe trust[^)]*\)\s*$/, '');
}

/** The question for `info`, answered through `answer(trusted)`; nothing when it needs no answer. */
export function trustCard(info, answer) {
    if (!needsAnswer(info)) return nothing;
    return html`<div class="trust" role="group" aria-label="Trust this folder?">
        <p><strong>This folder defines things that run code.</strong> Until you trust it, Lathe skips them:</p>
        <ul>${info.skipped.map(s => html`<li><code>${s.source}</code>: ${withoutCliHint(s.message)}</li>`)}</ul>
        ${info.error ? html`<p class="error" role="alert">${info.error}</p>` : nothing}
        <div class="trust-actions">
            <button type="button" class="button" @click=${() => answer(true)}>Trust this folder</button>
            <button type="button" class="button" @click=${() => answer(false)}>Don't trust</button>
        </div>
    </div>`;
}

/** directory → TrustInfo, or 'loading'; fetched once per page load (answers elsewhere apply at the next prompt). */
const known = new Map();

function load(directory) {
    known.set(directory, 'loading');
    api('GET', '/trust', {directory})
        .then((info) => known.set(directory, info))
        .catch(() => known.delete(directory))  // a config error: the first prompt reports it
        .finally(requestRender);
}

async function answerFor(directory, trusted) {
    try {
        const info = await api('PUT', '/trust', {directory, body: {trusted}});
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
    return trustCard(info, (trusted) => answerFor(directory, trusted));
}
