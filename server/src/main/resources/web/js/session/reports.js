// The /context, /cost and /cache reports of a session as readable panels (GET /sessions/ID/context, /usage, /cache),
// and the files it changed (GET /sessions/ID/diff).
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {ref} from '/vendor/lit-html/directives/ref.js';
import {cssom} from '../cssom-style.js';
import {SESSION_CACHE, SESSION_CONTEXT, SESSION_DIFF, SESSION_USAGE} from '../api-routes.js';
import {diffView} from './diff.js';
import {cost, tokens} from '../format.js';
import {percent} from './numbers.js';

export const REPORTS = {
    context: {title: 'Context window', route: SESSION_CONTEXT, view: contextReport},
    cost: {title: 'Cost and tokens', route: SESSION_USAGE, view: costReport},
    cache: {title: 'Prompt cache', route: SESSION_CACHE, view: cacheReport},
    changes: {title: 'Files changed in this session', route: SESSION_DIFF, view: changesReport, wide: true},
};

function changesReport(files) {
    if (!files.length) return html`<p class="muted">This session has not changed any file.</p>`;
    const added = files.reduce((n, f) => n + f.additions, 0);
    const removed = files.reduce((n, f) => n + f.deletions, 0);
    return html`
        <p class="report-lead">${files.length === 1 ? '1 file' : `${files.length} files`},
            <span class="d-plus">+${added}</span> <span class="d-minus">−${removed}</span>, from before the session's first change to now.</p>
        <div class="changes">${files.map((f) => html`<div class="change">
            ${f.patch ? diffView(f.patch) : html`<div class="diff"><div class="d-head"><span class="d-path">${f.path}</span>
                <span class="d-count muted">${f.status}, binary</span></div></div>`}
        </div>`)}</div>`;
}

const BLOCKS = [
    ['system', 'System prompt', 'c1'],
    ['tools', 'Tool definitions', 'c2'],
    ['instructions', 'Instructions (AGENTS.md…)', 'c3'],
    ['conversation', 'Conversation', 'c4'],
    ['toolOutputs', 'Tool outputs', 'c5'],
];

function contextReport(r) {
    const limit = r.contextLimit || 0;
    const used = BLOCKS.reduce((sum, [key]) => sum + (r.estimate[key] || 0), 0);
    const scale = limit || used + r.reservedOutput || 1;
    const width = (n) => `${Math.max(0, (n / scale) * 100)}%`;
    return html`
        <p class="report-lead"><strong>${tokens(used)}</strong> of ${limit ? tokens(limit) : 'an unknown window'}
            ${limit ? html`(${percent(used / limit)})` : nothing} used by the next request to <code>${r.model}</code>.</p>
        <div class="rc-bar" role="img" aria-label=${`Context ${limit ? percent(used / limit) : ''} full`}>
            ${BLOCKS.map(([key, , cls]) => html`<span class="rc-seg ${cls}" ${cssom({width: width(r.estimate[key] || 0)})}></span>`)}
            <span class="rc-seg reserved" ${cssom({width: width(r.reservedOutput)})}></span>
        </div>
        <table class="report-table">
            <tbody>
            ${BLOCKS.map(([key, label, cls]) => html`<tr><td><span class="swatch ${cls}"></span>${label}</td><td class="num">${tokens(r.estimate[key] || 0)}</td>
                <td class="num muted">${limit ? percent((r.estimate[key] || 0) / limit) : ''}</td></tr>`)}
            <tr><td><span class="swatch reserved"></span>Kept free for the answer</td><td class="num">${tokens(r.reservedOutput)}</td><td></td></tr>
            <tr class="total"><td>Free</td><td class="num">${limit ? tokens(r.free) : '—'}</td><td class="num muted">${limit ? percent(r.free / limit) : ''}</td></tr>
            </tbody>
        </table>
        <p class="muted small">Counted locally, so it is an estimate: providers count tokens their own way.
            ${r.lastInput != null ? html`The provider counted <strong>${tokens(r.lastInput)}</strong> tokens for the last request.` : nothing}</p>`;
}

/**
 * For a session `lathe import` made, what Lathe billed nothing for came with the import and was billed by the other
 * harness (issue 71): the session's total and each such answer say so.
 */
function costReport(r, session) {
    const u = r.usage;
    const imported = session && session.importedFrom;
    return html`
        <p class="report-lead"><strong>${cost(r.cost, u, imported)}</strong> for ${r.messages.length === 1 ? '1 answer' : `${r.messages.length} answers`}.</p>
        <dl class="report-grid">
            <div><dt>Input</dt><dd>${tokens(u.input)}</dd></div>
            <div><dt>Output</dt><dd>${tokens(u.output)}</dd></div>
            <div><dt>Reasoning</dt><dd>${tokens(u.reasoning)}</dd></div>
            <div><dt>Cache read</dt><dd>${tokens(u.cacheRead)}</dd></div>
            <div><dt>Cache write</dt><dd>${tokens(u.cacheWrite)}</dd></div>
        </dl>
        ${r.messages.length ? html`<div class="table-scroll"><table class="report-table">
            <thead><tr><th>#</th><th>Model</th><th class="num">Input</th><th class="num">Output</th><th class="num">Cached</th><th class="num">Cost</th></tr></thead>
            <tbody>${r.messages.map((m, i) => html`<tr>
                <td class="muted">${i + 1}</td><td>${m.model}</td><td class="num">${tokens(m.usage.input)}</td><td class="num">${tokens(m.usage.output)}</td>
                <td class="num">${tokens(m.usage.cacheRead)}</td><td class="num">${cost(m.cost, m.usage, !Number(m.cost) && imported)}</td></tr>`)}</tbody>
        </table></div>` : nothing}`;
}

const OUTCOME = {
    first: 'first request',
    kept: 'prefix kept',
    broke: 'prefix broke',
    missed: 'cache missed',
    unknown: 'unknown',
};

function cacheReport(r) {
    const t = r.totals;
    const breaks = Object.entries(t.breaks).filter(([, n]) => n > 0);
    return html`
        <p class="report-lead"><strong>${percent(t.hitRatio)}</strong> of the prompt tokens came from the provider's cache over
            ${t.requests === 1 ? '1 request' : `${t.requests} requests`}.</p>
        <dl class="report-grid">
            <div><dt>Uncached input</dt><dd>${tokens(t.input)}</dd></div>
            <div><dt>Cache read</dt><dd>${tokens(t.cacheRead)}</dd></div>
            <div><dt>Cache write</dt><dd>${tokens(t.cacheWrite)}</dd></div>
            <div><dt>Output</dt><dd>${tokens(t.output)}</dd></div>
            <div><dt>Misses</dt><dd>${t.missed}</dd></div>
        </dl>
        ${breaks.length ? html`<p class="small">The cached prefix broke at ${breaks.map(([block, n], i) => html`${i ? ', ' : ''}<strong>${block}</strong> ×${n}`)}.</p>` : nothing}
        ${r.requests.length ? html`<div class="table-scroll"><table class="report-table">
            <thead><tr><th>Step</th><th>Model</th><th class="num">Prompt</th><th class="num">Hit</th><th>What happened</th></tr></thead>
            <tbody>${r.requests.map((q) => html`<tr class=${q.outcome === 'broke' || q.outcome === 'missed' ? 'warn-row' : ''}>
                <td class="muted">${q.step}</td><td>${q.model}</td><td class="num">${tokens(q.input + q.cacheRead + q.cacheWrite)}</td>
                <td class="num">${percent(q.hitRatio)}</td>
                <td>${OUTCOME[q.outcome] ?? q.outcome}${q.broke ? html` at <strong>${q.broke}</strong>` : nothing}${q.reason ? html` <span class="muted">(${q.reason})</span>` : nothing}</td></tr>`)}</tbody>
        </table></div>` : html`<p class="muted">No requests yet.</p>`}`;
}

// lit calls a ref before a new element is in the document, and showModal() needs it there
function showWhenConnected(el) {
    if (!el || el.open) return;
    if (el.isConnected) el.showModal();
    else requestAnimationFrame(() => { if (el.isConnected && !el.open) el.showModal(); });
}

/** The open report as a modal dialog; `close()` forgets it. */
export function reportDialog(ui, close, session) {
    const d = ui.dialog;
    const report = REPORTS[d.kind];
    return html`<dialog class="modal report ${report.wide ? 'report-wide' : ''}" aria-labelledby="report-title"
            ${ref(showWhenConnected)}
            @cancel=${(e) => { e.preventDefault(); close(); }} @close=${() => close()}>
        <div class="modal-head">
            <h2 id="report-title">${d.title}</h2>
            <button type="button" class="icon-button" aria-label="Close" title="Close (Esc)" @click=${() => close()}>✕</button>
        </div>
        <div class="modal-body">
            ${d.error ? html`<p class="error-box" role="alert">${d.error}</p>` : d.data ? report.view(d.data, session) : html`<p class="muted">Loading…</p>`}
        </div>
    </dialog>`;
}
