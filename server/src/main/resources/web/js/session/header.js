// The session view's header: the title (click to rename), its status, the actions (Abort while busy; Undo, Redo and
// Compact, which move into the details menu on a phone), and the details row: folder, model and agent pickers (the
// choice applies to the next message), context fill, cost, the provider's tightest rate-limit window, and the reports.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {ref} from '/vendor/lit-html/directives/ref.js';
import {cssom} from '../cssom-style.js';
import {api} from '../api.js';
import {AGENTS, MODELS, MODES} from '../api-routes.js';
import {requestRender, boardEntry, statusOf} from '../store.js';
import {cost, tokens, folderName} from '../format.js';
import {icon} from '../icons.js';
import {percent} from './numbers.js';
import {abort, compact, flash, openReport, rename, revertAction} from './actions.js';
import {toggleDiff} from './diff-panel.js';
import {latestQuota, quotaSummary, quotaWarnings} from './quota.js';

export function header(t, ui, session, busy) {
    const status = statusOf(session.id) === 'failed' && !busy ? 'failed' : t.status?.type ?? 'idle';
    const entry = boardEntry(session.id);
    const used = entry?.contextTokens ?? 0;
    const limit = entry?.contextLimit ?? 0;
    const fill = limit ? used / limit : 0;
    const quota = latestQuota(t.sorted());
    // a window at 80 % is said once, after this render (a notice the user must not miss stays until dismissed)
    for (const w of quotaWarnings(quota)) queueMicrotask(() => flash(ui, w, 'notice'));
    return html`<header class="sv-head">
        <div class="sv-title-row">
            ${session.parentId ? parentLink(session.parentId) : nothing}
            ${ui.renaming ? html`<input class="sv-title-input" aria-label="Session title" .value=${session.title}
                    ${ref(focusOnce)}
                    @keydown=${(e) => { if (e.key === 'Enter') rename(t, ui, e.target.value); if (e.key === 'Escape') { ui.renaming = false; requestRender(); } }}
                    @blur=${(e) => { if (ui.renaming) rename(t, ui, e.target.value); }}>`
                : html`<h1 class="sv-title"><button type="button" class="sv-title-button" title="Rename" @click=${() => { ui.renaming = true; requestRender(); }}>${session.title || 'Untitled'}</button></h1>`}
            <span class="badge sv-status" data-status=${status} title=${statusTitle(t)}>${status}</span>
            <div class="sv-actions">
                ${busy ? html`<button type="button" class="button danger" @click=${() => abort(t, ui)} ?disabled=${ui.acting === 'abort'}>Abort</button>` : nothing}
                ${secondaryActions(t, ui, session, busy, 'sv-secondary')}
                <button type="button" class="icon-button sv-menu-toggle" aria-label="Session details" aria-expanded=${ui.menuOpen ? 'true' : 'false'}
                    @click=${() => { ui.menuOpen = !ui.menuOpen; requestRender(); }}>⋯</button>
            </div>
        </div>
        <div class="sv-tools ${ui.menuOpen ? 'open' : ''}">
            <span class="sv-folder" title=${session.directory}>${icon('folder')}${folderName(session.directory)}</span>
            ${picker(ui, 'model', session)}
            ${picker(ui, 'agent', session)}
            <button type="button" class="sv-meter" title="What fills the context window" @click=${() => openReport(t, ui, 'context')}>
                <span class="meter" aria-hidden="true"><span class="meter-fill ${fill > 0.85 ? 'hot' : fill > 0.6 ? 'warm' : ''}" ${cssom({width: Math.min(100, fill * 100) + '%'})}></span></span>
                <span>${limit ? `${tokens(used)} / ${tokens(limit)} · ${percent(fill)}` : `${tokens(used)} tokens`}</span>
            </button>
            <button type="button" class="sv-cost" title="Tokens and cost" @click=${() => openReport(t, ui, 'cost')}>${cost(session.cost, session.usage, session.importedFrom)}</button>
            ${quota.length ? html`<span class="sv-quota" title="The provider's rate-limit window closest to its limit">${quotaSummary(quota)}</span>` : nothing}
            <button type="button" class="sv-cache" title="How well the prompt cache works" @click=${() => openReport(t, ui, 'cache')}>Cache</button>
            <button type="button" class="sv-cache" title="The diff of this turn, the session, the uncommitted changes or the branch, live (/diff)"
                @click=${() => toggleDiff(t.id, '')}>Diff</button>
            ${secondaryActions(t, ui, session, busy, 'phone-only')}
        </div>
    </header>`;
}

// the title input takes the focus once, when it appears (lit calls a ref before the element is in the document)
function focusOnce(el) {
    if (!el || el.dataset.focused) return;
    el.dataset.focused = '1';
    requestAnimationFrame(() => { el.focus(); el.select(); });
}

/** Undo, Redo, Compact: in the title row on wide screens, in the details menu on a phone. */
function secondaryActions(t, ui, session, busy, cls) {
    return html`
        <button type="button" class="button ${cls}" title="Revert the last turn: hide it and put back the files it changed" ?disabled=${busy || !!ui.acting}
            @click=${() => revertAction(t, ui, 'undo')}>Undo</button>
        <button type="button" class="button ${cls}" title="Bring back what the last undo reverted" ?disabled=${busy || !!ui.acting || !session.revert}
            @click=${() => revertAction(t, ui, 'redo')}>Redo</button>
        <button type="button" class="button ${cls}" title="Summarise the conversation to free context" ?disabled=${busy || !!ui.acting}
            @click=${() => compact(t, ui)}>${ui.acting === 'compact' ? 'Compacting…' : 'Compact'}</button>`;
}

/** A subagent's session links back to the session that started it. */
function parentLink(parentId) {
    const title = boardEntry(parentId)?.session.title ?? 'Parent session';
    return html`<a class="sv-parent" href=${`#/session/${parentId}`} title=${`Back to ${title}`}>
        <span aria-hidden="true">↰</span><span class="sv-parent-title">${title}</span></a><span class="sv-crumb" aria-hidden="true">/</span>`;
}

function statusTitle(t) {
    const s = t.status ?? {};
    // a retry status names the attempt to come: the one that failed is the one before it
    if (s.type === 'retry') return `Attempt ${s.attempt - 1} failed: ${s.message}; trying again (attempt ${s.attempt}${s.maxAttempts ? ` of ${s.maxAttempts}` : ''})`;
    if (s.type === 'waiting') return 'Waiting for your answer';
    if (s.type === 'queued') return `Place ${s.position} in the team's queue: waiting for ${s.waitsFor}`;
    return '';
}

function picker(ui, kind, session) {
    const current = kind === 'model' ? session.model : session.agent;
    const chosen = (kind === 'model' ? ui.nextModel : ui.nextAgent) || current;
    const list = kind === 'model' ? ui.models : ui.agents;
    const options = list ?? [];
    const known = options.some((o) => o.value === current);
    return html`<label class="sv-picker">
        <span class="sv-picker-label">${kind === 'model' ? 'Model' : 'Agent'}</span>
        <select data-picker=${kind}
            @change=${(e) => {
                const v = e.target.value === current ? '' : e.target.value;
                if (kind === 'model') ui.nextModel = v; else ui.nextAgent = v;
                requestRender();
            }}>
            ${known ? nothing : html`<option value=${current} ?selected=${chosen === current}>${current}</option>`}
            ${groupedOptions(options, chosen)}
        </select>
    </label>`;
}

function groupedOptions(options, chosen) {
    const groups = new Map();
    for (const o of options) {
        if (!groups.has(o.group)) groups.set(o.group, []);
        groups.get(o.group).push(o);
    }
    return [...groups].map(([group, items]) => {
        const opts = items.map((o) => html`<option value=${o.value} ?selected=${o.value === chosen} title=${o.title ?? ''}>${o.label}</option>`);
        return group ? html`<optgroup label=${group}>${opts}</optgroup>` : opts;
    });
}

/**
 * Each provider's models newest first, as the terminal UI's menu lists them (a release date the catalog does not know
 * sorts last); providers stay in the server's order.
 */
function newestFirst(models) {
    const providers = new Map();
    for (const m of models) if (!providers.has(m.provider)) providers.set(m.provider, providers.size);
    return [...models].sort((a, b) => providers.get(a.provider) - providers.get(b.provider)
        || (b.released ?? '').localeCompare(a.released ?? '')
        || a.model.localeCompare(b.model));
}

export async function loadPickers(ui, directory) {
    if (ui.pickersFor === directory) return;
    ui.pickersFor = directory;
    try {
        const [models, agents, modes] = await Promise.all([
            // models an agent can work with and whose provider is set up (a key, or the user's own configured server),
            // chosen by the server: the catalog's thousands of others would drown the list, and sending them all cost
            // the server ~15 MiB at every session opened
            api(MODELS, {query: {usable: 'true'}, directory}).catch(() => []),
            api(AGENTS, {directory}).catch(() => []),
            // whether the folder offers auto-approval (a classifier configured, not turned off by the administrator)
            api(MODES, {directory}).catch(() => null),
        ]);
        ui.modes = modes;
        // on at first where the folder's defaultMode starts sessions with it, as the terminal UI's footer shows
        if (ui.auto === undefined) ui.auto = modes?.start === 'auto';
        ui.models = newestFirst(models ?? [])
            .map((m) => ({value: `${m.provider}/${m.model}`, label: m.name && m.name !== m.model ? `${m.name}` : m.model, group: m.provider,
                title: `${m.provider}/${m.model}${m.context ? ` · ${tokens(m.context)} context` : ''}`}));
        ui.agents = (agents ?? []).filter((a) => a.mode !== 'subagent')
            .map((a) => ({value: a.name, label: a.name, group: '', title: a.description}));
    } catch {
        ui.pickersFor = '';
    }
    requestRender();
}

/** The model or agent picked for the next message, until it is sent. */
export function nextChoice(ui, session) {
    const parts = [];
    if (ui.nextModel && ui.nextModel !== session.model) parts.push(html`model <strong>${ui.nextModel}</strong>`);
    if (ui.nextAgent && ui.nextAgent !== session.agent) parts.push(html`agent <strong>${ui.nextAgent}</strong>`);
    if (!parts.length) return nothing;
    return html`<div class="next-choice">Next message uses ${parts.map((p, i) => html`${i ? ' and ' : ''}${p}`)}
        <button type="button" class="link-button" @click=${() => { ui.nextModel = ''; ui.nextAgent = ''; requestRender(); }}>Keep current</button></div>`;
}

/**
 * The auto-approval switch (DESIGN §31, the web's side of the terminal UI's Shift+Tab): on, the next messages' asks go
 * to the classifier the user's settings name; off, to a person. Shown disabled, with why, where the folder offers no
 * auto mode (no classifier, or the administrator's disableAutoApproval); the server acts on the `mode` each prompt sends.
 */
export function autoToggle(ui) {
    const offered = ui.modes?.modes?.includes('auto') ?? false;
    if (!ui.modes) return nothing;
    const on = offered && ui.auto === true;
    const why = offered ? `Asks go to ${on ? `auto-approval's classifier (${ui.modes.autoModel ?? ''})` : 'you'}; click to switch`
        : (ui.modes.autoOff ?? 'Auto-approval is off');
    return html`<div class="mode-row"><button type="button" class="mode-toggle" role="switch" aria-checked=${on ? 'true' : 'false'}
        data-mode=${on ? 'auto' : 'default'} ?disabled=${!offered} title=${why}
        @click=${() => { ui.auto = !on; requestRender(); }}><span class="switch" aria-hidden="true"></span>Auto-approve</button>
        ${on ? html`<span class="muted">asks answered by ${ui.modes.autoModel}; deny rules still hold</span>` : nothing}</div>`;
}
