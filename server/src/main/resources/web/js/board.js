// The board: every session of every project on one page, live. Rows are grouped by project (or one project when
// filtered) — a repository's group holds the sessions of its main checkout and of its git worktrees (DESIGN §19),
// each row naming its branch — subagent sessions nested under their parent, and the statuses that need a person (waiting, failed)
// stand out. Filters live in the URL (#/?project=…&status=…&q=…&mine=1) so a reload or a shared link keeps them. On a
// team server (DESIGN §20) each row names its owner and "My sessions" keeps only the signed-in user's.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {repeat} from '/vendor/lit-html/directives/repeat.js';
import {cssom} from './cssom-style.js';
import {mayChange, ownerOf, pendingFor, statusDetail, statusOf, state, requestRender} from './store.js';
import {currentRoute, replaceQuery, sessionHref} from './route.js';
import {cost, folderName, fullTime, relativeTime, shortModel, tokens} from './format.js';
import {openDialog} from './dialog.js';
import {icon} from './icons.js';
import {importOffer} from './import-offer.js';
import {api, errorMessage} from './api.js';
import {SESSION_ABORT} from './api-routes.js';

export const STATUSES = ['waiting', 'busy', 'retry', 'queued', 'failed', 'idle'];
const STATUS_LABEL = {waiting: 'Waiting', busy: 'Busy', retry: 'Retrying', queued: 'Queued', failed: 'Failed', idle: 'Idle'};
const CHILDREN_SHOWN = 3;

/** Ids of the rows in screen order after the last render, for j/k. */
let visibleIds = [];
let selectedId = null;
const expandedParents = new Set();

// ---- filters ----

function filtersOf(route) {
    const status = route.query.get('status');
    return {
        project: route.query.get('project') || '',
        status: STATUSES.includes(status) ? status : '',
        query: route.query.get('q') || '',
        text: (route.query.get('q') || '').trim().toLowerCase(),
        mine: state.me.team && route.query.get('mine') === '1',
    };
}

function setFilter(values) {
    replaceQuery(values);
    requestRender();
}

/** The folder a session's group is: the main checkout of the repository of its worktree, or its own folder. */
export function repositoryOf(session) {
    return session.worktree && session.worktree.mainCheckout ? session.worktree.mainCheckout : session.directory;
}

/** A worktree's own folder (REPO/.lathe/worktrees/NAME): listed under its repository, never as a project of its own. */
function isWorktreeFolder(directory) {
    return /[\\/]\.lathe[\\/]worktrees[\\/][^\\/]+$/.test(directory);
}

/** The branch a session works on: its worktree's, or the one checked out in its folder when the server knows it. */
function branchOf(session) {
    if (session.worktree && session.worktree.branch) return session.worktree.branch;
    const p = state.projects.find(x => x.directory === session.directory);
    return (p && p.branch) || '';
}

function matches(entry, filters) {
    const s = entry.session;
    if (filters.project && repositoryOf(s) !== filters.project) return false;
    if (filters.status && statusOf(s.id) !== filters.status) return false;
    if (filters.mine && ownerOf(s.id) !== state.me.name) return false;
    if (filters.text) {
        const haystack = `${s.title} ${s.agent} ${s.model} ${s.directory} ${branchOf(s)} ${ownerOf(s.id)}`.toLowerCase();
        if (!haystack.includes(filters.text)) return false;
    }
    return true;
}

/** Every known project folder: the server's list plus any folder a session is in. */
export function knownProjects() {
    const byDirectory = new Map();
    for (const p of state.projects) {
        if (!isWorktreeFolder(p.directory)) byDirectory.set(p.directory, {directory: p.directory, name: p.name || folderName(p.directory)});
    }
    for (const entry of state.sessions.values()) {
        const d = repositoryOf(entry.session);
        if (!byDirectory.has(d)) byDirectory.set(d, {directory: d, name: folderName(d)});
    }
    return [...byDirectory.values()];
}

function projectName(directory) {
    const p = state.projects.find(x => x.directory === directory);
    return (p && p.name) || folderName(directory);
}

// ---- tree and groups ----

function visibleEntries() {
    return [...state.sessions.values()].filter(e => !e.session.archivedAt);
}

/** [{directory, name, rows: [{entry, children: [entry]}], lastActivity}]: projects by name, rows newest activity first. */
function groups(filters) {
    const all = visibleEntries();
    const shown = new Set(all.filter(e => matches(e, filters)).map(e => e.session.id));
    const childrenOf = new Map();
    for (const e of all) {
        const parent = e.session.parentId;
        if (parent && shown.has(e.session.id) && shown.has(parent)) {
            if (!childrenOf.has(parent)) childrenOf.set(parent, []);
            childrenOf.get(parent).push(e);
        }
    }
    const byProject = new Map();
    for (const e of all) {
        const s = e.session;
        if (!shown.has(s.id)) continue;
        if (s.parentId && shown.has(s.parentId)) continue; // nested under its parent
        const key = repositoryOf(s);
        if (!byProject.has(key)) byProject.set(key, {directory: key, name: projectName(key), rows: [], lastActivity: 0});
        const group = byProject.get(key);
        const children = descendants(s.id, childrenOf);
        group.rows.push({entry: e, children});
        group.lastActivity = Math.max(group.lastActivity, s.updatedAt, ...children.map(c => c.entry.session.updatedAt));
    }
    const list = [...byProject.values()];
    for (const g of list) {
        g.rows.sort((a, b) => lastActivity(b) - lastActivity(a));
    }
    // projects keep their place (by name, as in the sidebar) so a busy board does not shuffle under the eye
    return list.sort((a, b) => a.name.localeCompare(b.name) || a.directory.localeCompare(b.directory));
}

/** A session's subagents and theirs, depth first, newest first at each level: [{entry, depth}]. */
function descendants(id, childrenOf, depth = 1, seen = new Set([id])) {
    const out = [];
    const kids = (childrenOf.get(id) || []).slice().sort((a, b) => b.session.updatedAt - a.session.updatedAt);
    for (const kid of kids) {
        if (seen.has(kid.session.id)) continue;
        seen.add(kid.session.id);
        out.push({entry: kid, depth});
        out.push(...descendants(kid.session.id, childrenOf, depth + 1, seen));
    }
    return out;
}

function lastActivity(row) {
    return Math.max(row.entry.session.updatedAt, ...row.children.map(c => c.entry.session.updatedAt));
}

function statusCounts(filters) {
    const counts = Object.fromEntries(STATUSES.map(s => [s, 0]));
    let all = 0;
    for (const e of visibleEntries()) {
        if (!matches(e, {...filters, status: ''})) continue;
        counts[statusOf(e.session.id)]++;
        all++;
    }
    return {counts, all};
}

// ---- rows ----

/** The status badge: data-status for tests and colours, the word itself for everyone (never colour alone). */
export function statusBadge(id) {
    const status = statusOf(id);
    return html`<span class="badge" data-status=${status}>${status}</span>`;
}

function contextFill(entry) {
    const limit = entry.contextLimit || 0;
    const used = entry.contextTokens || 0;
    if (!limit) return html`<span class="ctx muted" title="Context window unknown">${used ? tokens(used) : '—'}</span>`;
    const pct = Math.min(100, Math.round(used * 100 / limit));
    const level = pct >= 90 ? 'high' : pct >= 70 ? 'mid' : 'low';
    const text = `${tokens(used)} of ${tokens(limit)} tokens (${pct}%)`;
    return html`<span class="ctx" data-level=${level} title=${'Context: ' + text}>
        <span class="ctx-bar" role="img" aria-label=${'Context ' + text}><span class="ctx-fill" ${cssom({width: pct + '%'})}></span></span>
        <span class="ctx-text" aria-hidden="true">${pct}%</span></span>`;
}

function detailLine(entry) {
    const id = entry.session.id;
    const status = statusOf(id);
    if (status === 'failed') return html`<span class="row-note note-failed" title=${entry.failure}>${entry.failure}</span>`;
    if (status === 'retry') {
        const d = statusDetail(id);
        const of = d.maxAttempts ? ` of ${d.maxAttempts}` : '';
        return html`<span class="row-note note-retry">Trying again (attempt ${d.attempt}${of})${d.message ? ' after ' + d.message : ''}</span>`;
    }
    if (status === 'queued') {
        // a team server's prompt waiting for a node with room: its place and what it waits for (DESIGN §20)
        const d = statusDetail(id);
        const text = `Place ${d.position} in the queue: waiting for ${d.waitsFor}`;
        return html`<span class="row-note note-queued" title=${text}>${text}</span>`;
    }
    if (status === 'busy' && state.activity.get(id)) {
        return html`<span class="row-note note-busy">${state.activity.get(id)}</span>`;
    }
    if (status === 'waiting') {
        const pending = pendingFor(id);
        const ask = pending.permissions[0] || pending.questions[0];
        if (ask) {
            const what = pending.permissions[0]
                ? (ask.title || ask.permission)
                : ((ask.questions[0] || {}).question || 'a question');
            // only the session's owner (or an admin) answers on a team server: others are offered to look, not to answer
            const label = mayChange(id) ? 'Answer' : 'View ask';
            return html`<span class="row-note note-waiting">
                <a class="answer-link" href=${'#/inbox?ask=' + encodeURIComponent(ask.id)}>${label}</a>
                <span class="ask-what">${what}</span></span>`;
        }
        return html`<span class="row-note note-waiting">Waiting for an answer</span>`;
    }
    return nothing;
}

/** The row's branch: a worktree's stands out, so sessions working apart are told from the main checkout's. */
function branchLabel(s) {
    const branch = branchOf(s);
    if (!branch) return nothing;
    const worktree = Boolean(s.worktree);
    return html`<span class="row-branch ${worktree ? 'row-branch-worktree' : ''}" data-branch=${branch}
        title=${worktree ? `Worktree ${s.worktree.name}: ${s.directory}` : 'Main checkout'}>${icon('branch')}<span
        class="visually-hidden">Branch </span>${branch}${worktree ? html`<span class="row-branch-where"> · worktree</span>` : nothing}</span>`;
}

/**
 * A subagent's branch, when it works in a worktree of its own (isolation: worktree), not its parent's folder: shown as
 * a session's is, since its changes wait there to be merged.
 */
function ownBranchLabel(s) {
    const parentTree = state.sessions.get(s.parentId)?.session.worktree;
    return s.worktree && s.worktree.name !== parentTree?.name ? branchLabel(s) : nothing;
}

/**
 * A child that runs as a background task (its parent went on working; issue 56) is marked as the terminal UI's
 * `/agents` marks it (◆); a child its parent waits for is not. The board entry's `task` says so (the node's own tasks).
 */
function backgroundMark(entry) {
    if (!entry.task) return nothing;
    // once it ended, how: a cancelled task and a completed one are both idle sessions (issue 71)
    const ended = entry.task.status && entry.task.status !== 'running' ? entry.task.status : '';
    return html`<span class="row-background" data-background data-task-status=${entry.task.status || 'running'}
        title="Background task: its parent went on working and receives its result"
        >◆<span class="row-background-word"> background${ended ? ` · ${ended}` : ''}</span></span>`;
}

/**
 * A session of an agent team (issue 57) is marked as the terminal UI's `/team` board marks a team (⚑): the lead with its
 * team's name and member count, a member with its name and team (every member is a background task of the lead: this
 * mark says more than ◆). The board entry's `team` says so. Names are the model's words: lit-html shows them as text.
 */
function teamMark(entry) {
    const t = entry.team;
    if (!t) return nothing;
    const count = `${t.members} member${t.members === 1 ? '' : 's'}`;
    if (!t.member) {
        return html`<span class="row-team" data-team-lead=${t.name} title=${`Leads the agent team ${t.name} (${count})`}
            >⚑ team ${t.name}<span class="row-team-count"> · ${count}</span></span>`;
    }
    return html`<span class="row-team" data-team-member=${t.member} title=${`${t.member}, a member of the agent team ${t.name} (${count})`}
        >⚑ ${t.member}<span class="row-team-of"> of team ${t.name}</span></span>`;
}

/** Children being cancelled (their abort sent, no idle status yet), and the failures of a cancel, by child id. */
const cancelling = new Map();

/**
 * A running subagent's Cancel (issue 56): aborts its session, which ends a background task as cancelled (its parent
 * receives the result). Only for whom may change the session (its owner or an admin on a team server).
 */
function cancelChild(id, status) {
    if (!['busy', 'waiting', 'retry', 'queued'].includes(status) || !mayChange(id)) return nothing;
    const progress = cancelling.get(id) || {};
    const cancel = async () => {
        cancelling.set(id, {sending: true});
        requestRender();
        try {
            await api(SESSION_ABORT, {params: {id}});
            cancelling.delete(id);
        } catch (e) {
            cancelling.set(id, {error: errorMessage(e)});
        }
        requestRender();
    };
    return html`<button type="button" class="link-button row-cancel" data-cancel=${id} ?disabled=${progress.sending}
        title="Stop this subagent; its parent receives its result as cancelled" @click=${cancel}>${progress.sending ? 'Cancelling…' : 'Cancel'}</button>
        ${progress.error ? html`<span class="row-note note-failed" role="alert">${progress.error}</span>` : nothing}`;
}

function sessionRow(entry, {depth = 0} = {}) {
    const s = entry.session;
    const status = statusOf(s.id);
    const child = depth > 0;
    return html`<li class="row ${child ? 'row-child' : ''} ${s.id === selectedId ? 'selected' : ''}" data-session=${s.id}
            data-row-status=${status} ${cssom(child ? {'--depth': String(depth)} : {})}>
        <span class="cell cell-status">${statusBadge(s.id)}</span>
        <span class="cell cell-title">
            ${child ? icon('corner', 'child-mark') : nothing}
            <a class="title-link" href=${sessionHref(s.id)} @focus=${() => select(s.id)}>${s.title || 'Untitled'}</a>
            ${entry.team ? teamMark(entry) : child ? backgroundMark(entry) : nothing}
            ${child ? ownBranchLabel(s) : branchLabel(s)}
            ${child ? cancelChild(s.id, status) : nothing}
            ${detailLine(entry)}
        </span>
        ${state.me.team ? ownerCell(s.id) : nothing}
        <span class="cell cell-agent" title="Agent">${s.agent}</span>
        <span class="cell cell-model" title=${s.model}>${shortModel(s.model)}</span>
        <span class="cell cell-ctx">${contextFill(entry)}</span>
        <span class="cell cell-cost ${s.importedFrom ? 'cost-imported' : ''}" title="Cost">${cost(s.cost, s.usage, s.importedFrom)}</span>
        <span class="cell cell-time"><time datetime=${new Date(s.updatedAt).toISOString()} title=${'Last activity ' + fullTime(s.updatedAt)}>${relativeTime(s.updatedAt)}</time></span>
    </li>`;
}

/** Whose session it is (a team server's): "you" stands out, so one's own rows are found at a glance. */
function ownerCell(id) {
    const owner = ownerOf(id);
    const mine = owner && owner === state.me.name;
    return html`<span class="cell cell-owner ${mine ? 'owner-mine' : ''}" data-owner=${owner} title=${owner ? 'Owner ' + owner : 'No owner'}><span
        class="visually-hidden">Owner </span>${owner || '—'}${mine ? html`<span class="owner-you"> (you)</span>` : nothing}</span>`;
}

function rowWithChildren(row, order) {
    const id = row.entry.session.id;
    order.push(id);
    const expanded = expandedParents.has(id);
    const children = expanded ? row.children : row.children.slice(0, CHILDREN_SHOWN);
    children.forEach(c => order.push(c.entry.session.id));
    const hidden = row.children.length - children.length;
    return html`${sessionRow(row.entry)}
        ${children.length ? html`${repeat(children, c => c.entry.session.id, c => sessionRow(c.entry, {depth: c.depth}))}` : nothing}
        ${hidden > 0 || (expanded && row.children.length > CHILDREN_SHOWN) ? html`<li class="row-more">
            <button type="button" class="link-button" aria-expanded=${expanded ? 'true' : 'false'}
                @click=${() => { expanded ? expandedParents.delete(id) : expandedParents.add(id); requestRender(); }}>
                ${expanded ? 'Show fewer subagents' : `Show ${hidden} more subagent${hidden === 1 ? '' : 's'}`}</button></li>` : nothing}`;
}

// ---- the view ----

function filterBar(filters) {
    const {counts, all} = statusCounts(filters);
    const projects = knownProjects().sort((a, b) => a.name.localeCompare(b.name));
    const chip = (value, label, count) => html`<button type="button" class="chip" data-chip=${value || 'all'}
        aria-pressed=${filters.status === value ? 'true' : 'false'}
        @click=${() => setFilter({status: filters.status === value ? '' : value})}>${label}<span class="chip-count">${count}</span></button>`;
    return html`<div class="filters">
        <div class="filter-search">
            ${icon('search')}
            <input type="search" id="board-filter" aria-label="Filter sessions" placeholder="Filter sessions"
                .value=${filters.query} @input=${(e) => setFilter({q: e.target.value})}
                @keydown=${(e) => { if (e.key === 'Escape') { e.target.value = ''; setFilter({q: ''}); e.target.blur(); } }}>
            <kbd class="filter-hint hide-phone" aria-hidden="true">/</kbd>
        </div>
        <select aria-label="Project" class="filter-project" @change=${(e) => setFilter({project: e.target.value})}>
            <option value="" ?selected=${!filters.project}>All projects</option>
            ${projects.map(p => html`<option value=${p.directory} ?selected=${filters.project === p.directory}>${p.name}</option>`)}
        </select>
        <div class="chips" role="group" aria-label="Status">
            ${chip('', 'All', all)}
            ${/* only a team server's nodes leave prompts queued: elsewhere the chip would always say 0 */ nothing}
            ${STATUSES.filter(s => s !== 'queued' || state.me.team || counts[s] || filters.status === s)
                .map(s => chip(s, STATUS_LABEL[s], counts[s]))}
        </div>
        ${state.me.team ? html`<button type="button" class="chip chip-mine" aria-pressed=${filters.mine ? 'true' : 'false'}
            title=${'Only the sessions of ' + state.me.name}
            @click=${() => setFilter({mine: filters.mine ? '' : '1'})}>My sessions</button>` : nothing}
    </div>`;
}

function boardHeader() {
    return html`<li class="row row-head" aria-hidden="true">
        <span class="cell cell-status">Status</span><span class="cell cell-title">Session</span>
        ${state.me.team ? html`<span class="cell cell-owner">Owner</span>` : nothing}
        <span class="cell cell-agent">Agent</span><span class="cell cell-model">Model</span>
        <span class="cell cell-ctx">Context</span><span class="cell cell-cost">Cost</span>
        <span class="cell cell-time">Activity</span></li>`;
}

export function boardView(route) {
    const filters = filtersOf(route);
    const heading = html`<div class="page-head">
        <h1>Board</h1>
        <span class="page-sub">${state.loaded ? summary() : ''}</span>
    </div>`;
    if (!state.loaded) {
        visibleIds = [];
        return html`${heading}${state.error ? errorBanner() : html`<p class="empty">Loading sessions…</p>`}`;
    }
    const list = groups(filters);
    const order = [];
    const body = list.length === 0 ? emptyState(filters) : html`${repeat(list, g => g.directory, g => html`
        <section class="group" aria-label=${'Project ' + g.name}>
            <div class="group-head">
                <h2 title=${g.directory}>${icon('folder')}<span>${g.name}</span></h2>
                <span class="group-path">${g.directory}</span>
                <span class="group-count">${countLabel(g)}</span>
                <button type="button" class="link-button group-new" aria-label=${'New session in ' + g.name}
                    @click=${() => { newSessionFolder = g.directory; openDialog('new-session'); }}>${icon('plus')}<span>New</span></button>
            </div>
            <ul class="rows" role="list">
                ${boardHeader()}
                ${repeat(g.rows, r => r.entry.session.id, r => rowWithChildren(r, order))}
            </ul>
        </section>`)}`;
    visibleIds = order;
    const offered = filters.project ? knownProjects().filter(p => p.directory === filters.project) : knownProjects();
    return html`${heading}${state.error ? errorBanner() : nothing}${filterBar(filters)}${state.me.nodeUser === false ? nothing : importOffer(offered)}<div class="board ${state.me.team ? 'board-team' : ''}">${body}</div>`;
}

function countLabel(group) {
    const n = group.rows.reduce((sum, r) => sum + 1 + r.children.length, 0);
    return `${n} session${n === 1 ? '' : 's'}`;
}

function summary() {
    const counts = {busy: 0, waiting: 0, retry: 0, queued: 0, failed: 0};
    let total = 0;
    for (const e of visibleEntries()) {
        total++;
        const s = statusOf(e.session.id);
        if (s in counts) counts[s]++;
    }
    const parts = [`${total} session${total === 1 ? '' : 's'}`];
    if (counts.busy + counts.retry) parts.push(`${counts.busy + counts.retry} running`);
    if (counts.waiting) parts.push(`${counts.waiting} waiting`);
    if (counts.queued) parts.push(`${counts.queued} queued`);
    if (counts.failed) parts.push(`${counts.failed} failed`);
    return parts.join(' · ');
}

function emptyState(filters) {
    if (filters.project || filters.status || filters.text || filters.mine) {
        return html`<div class="empty"><p>No sessions match these filters.</p>
            <button type="button" class="button" @click=${() => setFilter({project: '', status: '', q: '', mine: ''})}>Clear filters</button></div>`;
    }
    return html`<div class="empty"><p>No sessions yet.</p>
        <button type="button" class="button primary" @click=${() => openDialog('new-session')}>${icon('plus')}<span>New session</span></button></div>`;
}

function errorBanner() {
    return html`<div class="banner banner-error" role="alert">${state.error}</div>`;
}

/** The sidebar: projects as filters, with how many of their sessions run or wait. */
export function projectNav(route) {
    const current = route.name === 'board' ? (route.query.get('project') || '') : null;
    const status = route.name === 'board' ? (route.query.get('status') || '') : '';
    const href = (directory) => {
        const q = new URLSearchParams();
        if (directory) q.set('project', directory);
        if (status) q.set('status', status);
        const text = q.toString();
        return '#/' + (text ? '?' + text : '');
    };
    const stats = new Map();
    for (const e of visibleEntries()) {
        const d = repositoryOf(e.session);
        if (!stats.has(d)) stats.set(d, {total: 0, running: 0, waiting: 0});
        const st = stats.get(d);
        st.total++;
        const s = statusOf(e.session.id);
        if (s === 'busy' || s === 'retry') st.running++;
        if (s === 'waiting') st.waiting++;
    }
    const projects = knownProjects().sort((a, b) => a.name.localeCompare(b.name));
    return html`<h2 class="side-title">Projects</h2>
        <ul class="side-list" role="list">
            <li><a href=${href('')} aria-current=${current === '' ? 'page' : nothing}>All projects
                <span class="side-count">${visibleEntries().length}</span></a></li>
            ${projects.map(p => {
                const st = stats.get(p.directory) || {total: 0, running: 0, waiting: 0};
                return html`<li><a href=${href(p.directory)} title=${p.directory}
                        aria-current=${current === p.directory ? 'page' : nothing}>
                    <span class="side-name">${p.name}</span>
                    ${st.waiting ? html`<span class="side-dot" data-status="waiting" title="${st.waiting} waiting"><span class="visually-hidden">${st.waiting} waiting</span></span>` : nothing}
                    ${st.running ? html`<span class="side-dot" data-status="busy" title="${st.running} running"><span class="visually-hidden">${st.running} running</span></span>` : nothing}
                    <span class="side-count">${st.total}</span></a></li>`;
            })}
        </ul>`;
}

// ---- keyboard (shortcuts.js) ----

/** The folder the new-session dialog should preselect (a group's "New" button sets it). */
let newSessionFolder = '';

/** The folder to preselect in the new-session dialog: the group whose "New" was pressed, or the filtered project. */
export function takeNewSessionFolder() {
    const folder = newSessionFolder || filtersOf(currentRoute()).project;
    newSessionFolder = '';
    return folder;
}

function select(id) {
    if (selectedId === id) return;
    selectedId = id;
    requestRender();
}

/** j/k: moves the selection down (1) or up (-1) and focuses that session's link, so Enter opens it. */
export function moveSelection(delta) {
    if (!visibleIds.length) return;
    let index = visibleIds.indexOf(selectedId);
    index = index < 0 ? (delta > 0 ? 0 : visibleIds.length - 1) : Math.max(0, Math.min(visibleIds.length - 1, index + delta));
    selectedId = visibleIds[index];
    requestRender();
    const link = document.querySelector(`[data-session="${CSS.escape(selectedId)}"] .title-link`);
    if (link) {
        link.focus();
        link.scrollIntoView({block: 'nearest'});
    }
}

/** Enter when the page (not a link) has focus: opens the selected session. */
export function openSelection() {
    if (selectedId && visibleIds.includes(selectedId)) location.hash = sessionHref(selectedId);
}

/** "/": focuses the filter box. */
export function focusFilter() {
    const input = document.getElementById('board-filter');
    if (input) {
        input.focus();
        input.select();
    }
}
