// The session's diff beside its transcript (DESIGN §32): the turn's changes, the session's, git's uncommitted ones or
// the branch's against the default branch (in the session's own folder: its worktree), one file per section with its
// counts and patch. Fetched when opened (GET /sessions/{id}/diff?scope=) and again on each diff.updated of the session
// (sent at most every 300 ms while a turn edits) and when its status changes, so it follows a turn as it writes. Never
// polled. Paths and patches are the model's and the repository's text: lit-html escapes them, never markup.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from '../api.js';
import {SESSION_DIFF} from '../api-routes.js';
import {onEvent} from '../live.js';
import {requestRender} from '../store.js';
import {diffView} from './diff.js';

export const SCOPES = [
    ['turn', 'This turn'],
    ['session', 'Session'],
    ['uncommitted', 'Uncommitted'],
    ['branch', 'Branch'],
];
const PAGE = 100;  // files fetched; the count says when there are more (lathe diff ID prints them all)
// per session id: {open, scope, files, more, error, loading, again}
const panels = new Map();

onEvent((type, data) => {
    const e = data && data.event && typeof data.event === 'object' ? data.event : (data || {});
    for (const [id, p] of panels) {
        if (!p.open) continue;
        if (type === 'resync' || ((type === 'diff.updated' || type === 'session.status') && e.sessionId === id)) load(id);
    }
});

/** Opens the panel of session `id` on `scope` (the turn's by default), or closes it when it shows that scope already. */
export function toggleDiff(id, scope) {
    const p = entry(id);
    const wanted = (scope || '').trim() || (p.open ? '' : 'turn');
    if (!wanted || wanted === 'off' || (p.open && wanted === p.scope)) {
        p.open = false;
        requestRender();
        return '';
    }
    if (!SCOPES.some(([s]) => s === wanted)) return `/diff takes ${SCOPES.map(([s]) => s).join(', ')} or off, not ${wanted}`;
    p.open = true;
    show(id, wanted);
    return '';
}

function entry(id) {
    let p = panels.get(id);
    if (!p) panels.set(id, p = {open: false, scope: 'turn', files: null, more: false, error: '', loading: false, again: false});
    return p;
}

function show(id, scope) {
    const p = entry(id);
    if (p.scope !== scope) p.files = null;
    p.scope = scope;
    p.error = '';
    requestRender();
    load(id);
}

async function load(id) {
    const p = entry(id);
    if (p.loading) {
        p.again = true;
        return;
    }
    p.loading = true;
    const scope = p.scope;
    try {
        const files = await api(SESSION_DIFF, {params: {id}, query: {scope, limit: PAGE}});
        if (p.scope === scope) {
            p.files = files;
            p.more = files.length >= PAGE;
            p.error = '';
        }
    } catch (e) {
        if (p.scope === scope) p.error = errorMessage(e);
    } finally {
        p.loading = false;
    }
    requestRender();
    if (p.again || p.scope !== scope) {
        p.again = false;
        load(id);
    }
}

function fileView(f) {
    if (f.binary || !f.patch) {
        return html`<div class="diff"><div class="d-head"><span class="d-path">${f.path}</span>
            <span class="d-count muted">${f.status}${f.binary ? ', binary: not shown' : ''}</span></div></div>`;
    }
    return html`${diffView(f.patch)}${f.truncated ? html`<p class="muted small">Cut at 256 KiB: +${f.additions} −${f.deletions} lines in all.</p>` : nothing}`;
}

/** The diff panel of session `id` (a lit template), or nothing when it is closed. */
export function diffPanel(id) {
    const p = panels.get(id);
    if (!p || !p.open) return nothing;
    const files = p.files || [];
    const added = files.reduce((n, f) => n + f.additions, 0);
    const removed = files.reduce((n, f) => n + f.deletions, 0);
    return html`<aside class="diff-panel" aria-label="Diff" data-scope=${p.scope}>
        <div class="diff-panel-head">
            <div class="diff-scopes" role="radiogroup" aria-label="Diff scope">${SCOPES.map(([s, label]) => html`<button type="button" role="radio"
                class="diff-scope ${p.scope === s ? 'selected' : ''}" aria-checked=${p.scope === s ? 'true' : 'false'} @click=${() => show(id, s)}>${label}</button>`)}
            </div>
            <button type="button" class="icon-button" aria-label="Close the diff" title="Close (/diff)" @click=${() => toggleDiff(id, 'off')}>✕</button>
        </div>
        ${p.error ? html`<p class="error-box" role="alert">${p.error}</p>` : p.files === null ? html`<p class="muted">Loading…</p>` : html`
            <p class="diff-summary" aria-live="polite">${files.length === 1 ? '1 file' : `${files.length}${p.more ? '+' : ''} files`},
                <span class="d-plus">+${added}</span> <span class="d-minus">−${removed}</span></p>
            ${files.length ? html`<div class="changes">${files.map((f) => html`<div class="change" data-path=${f.path}>${fileView(f)}</div>`)}</div>`
                : html`<p class="muted">No changes.</p>`}`}
    </aside>`;
}
