// The agent team beside a session (issue 57, DESIGN §18 "Agent teams"): on the session page of the lead or of a member,
// its members (name, agent, model, status), the shared task list (id, title, status, owner, dependsOn) and the newest
// messages. Fetched once (GET /sessions/{id}/team) and again only when an event says the team changed: a member's or the
// lead's status, a message it received, a team_tasks / send_message / team_create call that ended, a new member session.
// Never polled. Names, titles and message texts are the agents' words: lit-html escapes them as text, never markup.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api} from '../api.js';
import {SESSION_TEAM} from '../api-routes.js';
import {onEvent} from '../live.js';
import {requestRender, state} from '../store.js';

const TEAM_TOOLS = new Set(['team_tasks', 'send_message', 'team_create']);
const MESSAGES = 8;  // the newest shown; the rest are in the members' sessions
// per session id: {team: TeamInfo|null, loading, again}
const boards = new Map();

function sessionsOf(entry, id) {
    const ids = new Set([id]);
    if (entry.team) {
        ids.add(entry.team.lead);
        for (const m of entry.team.members) ids.add(m.sessionId);
    }
    return ids;
}

function changes(type, e, entry, id) {
    // a session in no team: only its own team_create can change that (a member is one from its start)
    if (!entry.team) {
        return (type === 'resync' && !!state.sessions.get(id)?.team) || (type === 'message.part.updated' && ended(e.part, id) && e.part.tool === 'team_create');
    }
    const ids = sessionsOf(entry, id);
    switch (type) {
        case 'session.status': return ids.has(e.sessionId);
        case 'session.created': return !!e.session && ids.has(e.session.parentId);
        case 'message.updated': return !!e.info && e.info.role === 'user' && ids.has(e.info.sessionId);
        case 'message.part.updated': return !!e.part && ids.has(e.part.sessionId) && ended(e.part, e.part.sessionId);
        case 'resync': return true;
        default: return false;
    }
}

/** Whether `p` is a call of a team tool in session `id` that ended (its task list, log or members changed). */
function ended(p, id) {
    const st = p && p.state ? p.state.status : '';
    return !!p && p.type === 'tool' && TEAM_TOOLS.has(p.tool) && p.sessionId === id && st !== 'pending' && st !== 'running';
}

onEvent((type, data) => {
    const e = data && data.event && typeof data.event === 'object' ? data.event : (data || {});
    for (const [id, entry] of boards) if (changes(type, e, entry, id)) load(id);
});

async function load(id) {
    let entry = boards.get(id);
    if (!entry) boards.set(id, entry = {team: null, loading: false, again: false});
    if (entry.loading) {
        entry.again = true;
        return;
    }
    entry.loading = true;
    try {
        entry.team = await api(SESSION_TEAM, {params: {id}});
    } catch (e) {
        // 404: in no team (yet); another failure keeps what was shown
        if (e && e.status === 404) entry.team = null;
    } finally {
        entry.loading = false;
    }
    requestRender();
    if (entry.again) {
        entry.again = false;
        load(id);
    }
}

const STATUS = {idle: 'idle', busy: 'working', retry: 'retrying', waiting: 'waiting for your answer', queued: 'queued'};
const TASK_MARK = {completed: '☑', in_progress: '◐'};

/** The ids of the tasks `t` still waits for: its dependencies not completed (none once it is completed itself). */
function waitsFor(team, t) {
    if (t.status === 'completed') return [];
    const done = new Set(team.tasks.filter((x) => x.status === 'completed').map((x) => x.id));
    return t.dependsOn.filter((d) => !done.has(d));
}

/**
 * The team panel of session `id` (a lit template), or nothing when it is in no team. Asked of the server only for a
 * session the board knows in a team (its entry's `team`), or once its own team_create ended (`changes`): a session in
 * none is not asked about, so no page logs a 404 for it (issue 71).
 */
export function teamPanel(id) {
    const entry = boards.get(id);
    if (!entry) {
        if (state.sessions.get(id)?.team) load(id);
        else boards.set(id, {team: null, loading: false, again: false});
        return nothing;
    }
    const team = entry.team;
    if (!team) return nothing;
    const done = team.tasks.filter((t) => t.status === 'completed').length;
    const messages = team.messages.slice(-MESSAGES);
    return html`<aside class="team" aria-label="Agent team" data-team=${team.id}>
        <details open>
            <summary>Team ${team.name} <span class="muted">${team.members.length} members · ${done}/${team.tasks.length} tasks</span></summary>
            <ul class="team-members">${team.members.map((m) => html`<li class="team-member" data-member=${m.name}
                    data-member-status=${m.status ? m.status.type : 'idle'}>
                <a href=${'#/session/' + encodeURIComponent(m.sessionId)} class="team-member-name">${m.name}</a>
                <span class="muted">${m.agent} · ${m.model}</span>
                <span class="team-status">${STATUS[m.status ? m.status.type : 'idle'] ?? m.status.type}</span>
            </li>`)}</ul>
            ${team.tasks.length ? html`<ol class="team-tasks">${team.tasks.map((t) => html`<li class="team-task team-task-${t.status}" data-task=${t.id}
                    data-task-status=${t.status}>
                <span class="todo-box" aria-hidden="true">${TASK_MARK[t.status] ?? '☐'}</span>
                <span class="team-task-body"><span class="team-task-text">#${t.id} ${t.title}</span>
                ${t.owner ? html` <span class="muted team-owner">${t.owner}</span>` : nothing}
                ${waitsFor(team, t).length ? html` <span class="muted">after ${waitsFor(team, t).map((d) => '#' + d).join(', ')}</span>` : nothing}
                <span class="visually-hidden">(${t.status.replace('_', ' ')})</span></span>
            </li>`)}</ol>` : html`<p class="muted">No tasks yet.</p>`}
            ${messages.length ? html`<ul class="team-messages" aria-label="Newest team messages">${messages.map((m) => html`<li class="team-message">
                <span class="team-route">${m.from} → ${m.to}</span> <span class="team-text">${m.text}</span>
            </li>`)}</ul>` : nothing}
        </details>
    </aside>`;
}
