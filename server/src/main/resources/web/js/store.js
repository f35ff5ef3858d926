// Shared state of the app: every session's board entry, statuses, pending asks and known folders.
//
// Loaded once with GET requests, then kept current from the event stream. Events that carry the new value (a status,
// an ask, a session's new title or cost) are applied at once; values only the server can compute (context fill,
// whether the last turn failed) are refetched, debounced so a burst of events costs one request. There is no timer
// polling: without events nothing is fetched.
import {api, ApiError, errorMessage} from './api.js';
import {BLOCKED_CONNECTIONS, BOARD, ME, OWNERS, PERMISSIONS, PROJECTS, QUESTIONS} from './api-routes.js';
import {onEvent} from './live.js';

export const state = {
    /** id → {session, status, contextTokens, contextLimit, failure?} as GET /board returns them. */
    sessions: new Map(),
    /** id → SessionStatus ({type: idle|busy|retry|waiting, ...}); newer than the board's when an event said so. */
    statuses: new Map(),
    /** id → PermissionRequest still waiting for an answer, every folder. */
    permissions: new Map(),
    /**
     * callId → the `permission.auto` event of the call auto-approval's classifier decided (DESIGN §31), as seen live: the
     * event is not stored with the messages, so a call decided before the page opened has none. The newest AUTOS_KEPT.
     */
    autos: new Map(),
    /** Bumped on each `permission.auto`, so a transcript's cached messages are drawn again with the badge. */
    autoEpoch: 0,
    /** id → QuestionRequest still waiting for an answer, every folder. */
    questions: new Map(),
    /** [{directory, name, sessions, lastActivity, trusted, definesCode}] */
    projects: [],
    /** true once the first board load answered. */
    loaded: false,
    /** 'unknown' until the first answer, 'ok', or 'needed' after a 401. */
    auth: 'unknown',
    /** The message of the last failed load, shown on the board; null when fine. */
    error: null,
    /** id → what a busy session is doing right now ("bash: npm test", "Thinking…"), from its parts' events. */
    activity: new Map(),
    /** Text for the aria-live region (new asks). */
    announcement: '',
    /** [{folder, host, by}] local-only mode refused: GET /network/blocked at load, then the events (each once; the newest 50). */
    blocked: [],
    /** Who the server takes us for ({name, admin, team}, GET /me); team: a team server with accounts (DESIGN §20). */
    me: {name: '', admin: true, team: false},
    /** session id → its recorded owner's name (GET /owners; a team server's, empty otherwise). */
    owners: new Map(),
    /** The sessions on the board when the owners were loaded: one of them missing from `owners` has no owner. */
    ownersCovered: new Set(),
};

/** A session's owner: its own, else its parent's (a subagent's child is its parent's); '' when none is known. */
export function ownerOf(id) {
    for (let at = id, depth = 0; at && depth < 64; depth++) {
        if (state.owners.has(at)) return state.owners.get(at);
        const entry = state.sessions.get(at);
        at = entry && entry.session.parentId;
    }
    return '';
}

/**
 * Whether the signed-in user may answer the session's asks and change it: anyone without accounts; on a team server
 * its owner or an admin (DESIGN §20), and a session made before accounts existed is for admins. A session newer than
 * the owners loaded is not known yet: the server decides, as it always does.
 */
export function mayChange(id) {
    if (!state.me.team || state.me.admin) return true;
    const owner = ownerOf(id);
    if (owner) return owner === state.me.name;
    let root = id;
    for (let depth = 0; depth < 64; depth++) {
        const entry = state.sessions.get(root);
        if (!entry || !entry.session.parentId) break;
        root = entry.session.parentId;
    }
    return !state.ownersCovered.has(root);
}

const subscribers = new Set();

/** fn() after every change of the state; returns the unsubscribe function. */
export function subscribe(fn) {
    subscribers.add(fn);
    return () => subscribers.delete(fn);
}

/** Tells the app to render again (views call it when their own data arrives; main.js batches it per frame). */
export function requestRender() {
    subscribers.forEach(fn => fn());
}

/** The board's summary of one session, or undefined while unknown. */
export function boardEntry(id) {
    return state.sessions.get(id);
}

/** The status word the board shows: busy | waiting | retry | idle | failed. */
export function statusOf(id) {
    const entry = state.sessions.get(id);
    const status = state.statuses.get(id) || (entry && entry.status) || {type: 'idle'};
    if (status.type === 'idle' && entry && entry.failure) return 'failed';
    return status.type || 'idle';
}

/** The raw SessionStatus (a retry's attempt and nextAt live there). */
export function statusDetail(id) {
    const entry = state.sessions.get(id);
    return state.statuses.get(id) || (entry && entry.status) || {type: 'idle'};
}

/** The pending permission asks and questions of one session, oldest first. */
export function pendingFor(sessionId) {
    const byTime = (a, b) => a.createdAt - b.createdAt;
    return {
        permissions: [...state.permissions.values()].filter(p => p.sessionId === sessionId).sort(byTime),
        questions: [...state.questions.values()].filter(q => q.sessionId === sessionId).sort(byTime),
    };
}

/**
 * How many asks and questions wait for an answer from the signed-in user, every session: on a team server the asks of
 * others' sessions show in the inbox to watch, but nobody waits for this user there.
 */
export function pendingCount() {
    let n = 0;
    for (const ask of state.permissions.values()) if (mayChange(ask.sessionId)) n++;
    for (const question of state.questions.values()) if (mayChange(question.sessionId)) n++;
    return n;
}

/** Forgets an answered ask at once (the replied event confirms it later). */
export function forgetAsk(kind, id) {
    (kind === 'question' ? state.questions : state.permissions).delete(id);
    requestRender();
}

// ---- loading ----

export async function loadAll() {
    await Promise.all([loadBoard(), loadAsks(), loadProjects(), loadBlocked()]);
}

/** Adds a refusal unless it is known (same folder, host and by); true when it was new. */
function noteBlocked({folder, host, by}) {
    if (state.blocked.some(b => b.folder === folder && b.host === host && b.by === by)) return false;
    state.blocked = [...state.blocked, {folder, host, by}].slice(-50);
    return true;
}

/**
 * What local-only mode refused before this page connected (a daemon that had the folder open already): every folder's,
 * merged with the events seen meanwhile. A server without the route leaves the list as the events made it.
 */
function loadBlocked() {
    return api(BLOCKED_CONNECTIONS).then(listed => {
        for (const b of listed || []) noteBlocked(b);
        requestRender();
    }, () => {});
}

async function guarded(load) {
    try {
        await load();
        state.auth = 'ok';
        state.error = null;
    } catch (e) {
        if (e instanceof ApiError && e.status === 401) state.auth = 'needed';
        else state.error = errorMessage(e);
    }
    requestRender();
}

// Events that arrive while a load is in flight may be newer than its answer (the server built the answer before
// them) or older (built after): either way the answer replaces whole maps, so each load records the events that change
// those maps while it runs and replays them, in order, onto what it loaded. An ask that came in during the load stays,
// and one answered during it does not come back. Replaying an event the answer already reflects changes nothing.
const journals = new Set();

async function journaled(request, install) {
    const journal = [];
    journals.add(journal);
    try {
        const answer = await request();
        install(answer);
        for (const [type, e] of journal) applyToState(type, e);
    } finally {
        journals.delete(journal);
    }
}

function loadBoard() {
    return guarded(() => journaled(() => Promise.all([api(BOARD), api(OWNERS), api(ME)]), ([entries, owners, me]) => {
        state.owners = new Map(Object.entries(owners || {}));
        if (me) state.me = me;
        const next = new Map();
        for (const entry of entries || []) next.set(entry.session.id, entry);
        state.sessions = next;
        state.ownersCovered = new Set(next.keys());
        // the board is newer than any status we saw before asking for it (the ones seen since are replayed)
        state.statuses = new Map();
        state.loaded = true;
    }));
}

function loadAsks() {
    return guarded(() => journaled(
        () => Promise.all([api(PERMISSIONS), api(QUESTIONS)]),
        ([permissions, questions]) => {
            state.permissions = new Map((permissions || []).map(p => [p.id, p]));
            state.questions = new Map((questions || []).map(q => [q.id, q]));
        }));
}

export function loadProjects() {
    return guarded(async () => {
        state.projects = (await api(PROJECTS)) || [];
    });
}

// ---- debounced refetch ----

const timers = new Map();

/** Runs load after `delay` ms of quiet, but no later than 4 × delay after the first request (a steady stream). */
function soon(name, load, delay) {
    const now = Date.now();
    const pending = timers.get(name);
    if (pending) clearTimeout(pending.timer);
    const first = pending ? pending.first : now;
    const wait = Math.max(0, Math.min(delay, first + delay * 4 - now));
    timers.set(name, {first, timer: setTimeout(() => { timers.delete(name); load(); }, wait)});
}

const refetchBoard = (delay = 300) => soon('board', loadBoard, delay);
const refetchAsks = () => soon('asks', loadAsks, 200);
const refetchProjects = () => soon('projects', loadProjects, 1000);

// ---- events ----

/** The event's own fields whether the server sent the bare event or its envelope. */
function payload(data) {
    return data && data.event && typeof data.event === 'object' ? data.event : (data || {});
}

function upsertSession(session) {
    const entry = state.sessions.get(session.id);
    if (entry) {
        state.sessions.set(session.id, {...entry, session});
        return true;
    }
    return false;
}

/** The event's change to the loaded maps (sessions, statuses, asks) alone: also replayed after a load (see journaled). */
function applyToState(type, e) {
    switch (type) {
        case 'session.created':
            if (!upsertSession(e.session)) {
                state.sessions.set(e.session.id, {session: e.session, status: {type: 'idle'}, contextTokens: 0, contextLimit: 0});
            }
            return;
        case 'session.updated':
            upsertSession(e.session);
            return;
        case 'session.deleted':
            state.sessions.delete(e.sessionId);
            state.statuses.delete(e.sessionId);
            return;
        case 'session.status': {
            state.statuses.set(e.sessionId, e.status);
            const entry = state.sessions.get(e.sessionId);
            if (entry && e.status && e.status.type === 'busy' && entry.failure) {
                // a new turn started: the old failure no longer describes the session
                state.sessions.set(e.sessionId, {...entry, failure: undefined});
            }
            return;
        }
        case 'permission.asked':
            state.permissions.set(e.request.id, e.request);
            return;
        case 'permission.replied':
            state.permissions.delete(e.permissionId);
            return;
        case 'question.asked':
            state.questions.set(e.request.id, e.request);
            return;
        case 'question.replied':
            state.questions.delete(e.questionId);
            return;
        default:
    }
}

/** Auto-approval decisions remembered at most (a day-long session's stay bounded). */
const AUTOS_KEPT = 2000;

const JOURNALED = new Set(['session.created', 'session.updated', 'session.deleted', 'session.status', 'permission.asked',
    'permission.replied', 'question.asked', 'question.replied']);

onEvent((type, data) => {
    const e = payload(data);
    if (JOURNALED.has(type)) for (const journal of journals) journal.push([type, e]);
    switch (type) {
        case 'network.blocked':
            // local-only mode refused a connection before it was made: shown in the app bar, announced once
            if (noteBlocked(e)) {
                state.announcement = `Local-only: blocked ${e.by} to ${e.host}`;
                requestRender();
            }
            break;
        case 'session.created':
            applyToState(type, e);
            refetchBoard();
            refetchProjects();
            break;
        case 'session.updated':
            if (!state.sessions.has(e.session.id)) refetchBoard();
            applyToState(type, e);
            break;
        case 'session.deleted':
            applyToState(type, e);
            break;
        case 'message.part.updated':
            if (!noteActivity(e.part)) return;
            break;
        case 'session.status': {
            const known = state.sessions.has(e.sessionId);
            applyToState(type, e);
            if (e.status && e.status.type !== 'busy') state.activity.delete(e.sessionId);
            if (!known) refetchBoard();
            if (e.status && e.status.type === 'idle') refetchBoard();
            break;
        }
        case 'session.error':
        case 'session.compacted':
            refetchBoard();
            break;
        case 'message.updated':
            rememberRole(e.info);
            // context fill and cost change as answers complete; the board recomputes them
            refetchBoard(1500);
            break;
        case 'permission.asked':
            applyToState(type, e);
            announce('Permission ask', e.request.sessionId, e.request.title || e.request.permission);
            break;
        case 'question.asked':
            applyToState(type, e);
            announce('Question', e.request.sessionId, (e.request.questions[0] || {}).question || '');
            break;
        case 'permission.replied':
        case 'question.replied':
            applyToState(type, e);
            break;
        case 'config.updated':
            refetchProjects();
            break;
        case 'permission.auto':
            state.autos.delete(e.call);
            state.autos.set(e.call, e);
            if (state.autos.size > AUTOS_KEPT) state.autos.delete(state.autos.keys().next().value);
            state.autoEpoch++;
            break;
        case 'resync':
            refetchBoard(0);
            refetchAsks();
            refetchProjects();
            loadBlocked();
            break;
        default:
            return; // nothing the shared state shows
    }
    requestRender();
});

/** messageId → 'user' | 'assistant' for recent messages, so a text part can be told apart (bounded). */
const roles = new Map();
function rememberRole(info) {
    if (!info || !info.id) return;
    roles.set(info.id, info.role);
    if (roles.size > 500) roles.delete(roles.keys().next().value);
}

const TASK_RESULT_HEAD = /^<task-result id="([A-Za-z0-9_]{1,64})" status="([a-z]{1,20})">/;

/**
 * A background task's result reached its parent (DESIGN §18): the task's board entry learns how it ended, so a
 * cancelled child and a completed one no longer both read as idle (issue 71). True when the board changed.
 */
function noteTaskEnd(part) {
    if (!part || part.type !== 'text' || part.synthetic || typeof part.text !== 'string') return false;
    const head = TASK_RESULT_HEAD.exec(part.text);
    const entry = head && state.sessions.get(head[1]);
    if (!entry || !entry.task || entry.task.status === head[2]) return false;
    state.sessions.set(head[1], {...entry, task: {...entry.task, status: head[2]}});
    return true;
}

/** Updates what a session is doing from one of its parts; true when the board's text changed. */
function noteActivity(part) {
    if (!part || !part.sessionId) return false;
    if (noteTaskEnd(part)) return true;
    let text = null;
    if (part.type === 'tool') {
        const st = part.state || {};
        if (st.status === 'pending') text = part.tool;
        else if (st.status === 'running') text = st.title ? `${part.tool}: ${st.title}` : part.tool;
        else text = null; // done: the next part says what comes next
    } else if (part.type === 'reasoning') {
        text = 'Thinking…';
    } else if (part.type === 'text') {
        if (roles.get(part.messageId) !== 'assistant') return false; // the user's own words are not activity
        text = 'Writing…';
    } else if (part.type === 'subtask') {
        text = `Subagent ${part.agent || ''}`.trim();
    } else {
        return false;
    }
    const before = state.activity.get(part.sessionId) || null;
    if (before === text) return false;
    if (text) state.activity.set(part.sessionId, text);
    else state.activity.delete(part.sessionId);
    return true;
}

function announce(kind, sessionId, what) {
    const entry = state.sessions.get(sessionId);
    const title = entry ? entry.session.title : 'a session';
    state.announcement = `${kind} from ${title}: ${what}`;
}
