// One session's live state: its newest messages and parts (GET /sessions/ID/messages?limit=…, earlier pages as the
// user scrolls up, then message.* events), its todo list,
// what it is doing, and which of the user's messages are still queued behind a running turn. Views read it; every
// change asks the app for one (batched) render.
import {api} from '../api.js';
import {SESSION, SESSION_MESSAGES, SESSION_PROCESSES, SESSION_STATUS, SESSION_TODO} from '../api-routes.js';
import {onEvent} from '../live.js';
import {requestRender} from '../store.js';
import {forgetMarkdown} from './markdown.js';
import {NOT_RUN} from './parts.js';
import {applyProcessEvent} from './processes.js';

// The sessions held in memory, least recently shown first. Only a few are kept (each holds its whole history and
// follows its events); one shown again after it was dropped loads again.
const transcripts = new Map();
const KEEP = 3;
// messages fetched at a time, newest first: a day-long session opens as fast as a short one
export const FETCH = 150;
const droppedListeners = new Set();

/** fn(id) when session `id`'s transcript is dropped from memory (views drop their state for it too). */
export function onTranscriptDropped(fn) {
    droppedListeners.add(fn);
    return () => droppedListeners.delete(fn);
}

/** The state of session `id`, loading it on first use. */
export function transcriptOf(id) {
    let t = transcripts.get(id);
    if (t) {
        if (transcripts.size > 1) {
            // most recently shown last
            transcripts.delete(id);
            transcripts.set(id, t);
        }
        return t;
    }
    t = new Transcript(id);
    transcripts.set(id, t);
    t.load();
    while (transcripts.size > KEEP) drop(transcripts.keys().next().value);
    return t;
}

function drop(id) {
    const t = transcripts.get(id);
    transcripts.delete(id);
    for (const m of t.messages.values()) for (const partId of m.parts.keys()) {
        forgetMarkdown(partId);
        forgetMarkdown(`${partId}:report`);
    }
    for (const fn of droppedListeners) fn(id);
}

class Transcript {
    constructor(id) {
        this.id = id;
        this.session = null;      // Session record
        this.status = {type: 'idle'};
        this.messages = new Map();  // id → {info, parts: Map(partId → part)}
        this.todos = [];
        this.loaded = false;
        this.error = '';
        this.waiting = new Set();  // user message ids sent while a turn ran and not yet read by the model
        this.version = 0;
        this.sortedCache = null;
        this.loading = null;
        this.pending = [];  // events that arrived while loading
        this.more = false;  // whether the server has older messages than the first one held
        this.loadingEarlier = null;
        this.generation = 0;  // bumped by every replacement of what is held: an earlier page fetched before it is dropped
    }

    /** The newest `limit` messages (older than `before` when given), noting whether older ones exist. */
    async page(limit, before) {
        let more = false;
        const list = await api(SESSION_MESSAGES, {params: {id: this.id}, query: {limit, before: before || undefined}, headers: (h) => { more = h.get('X-Lathe-More') === 'true'; }});
        return {list: list ?? [], more};
    }

    /**
     * Fetches the page before the first message held; one at a time. `arriving()` is called just before the page is
     * added (the DOM still shows the messages before it: a view measures its scroll position then).
     */
    loadEarlier(arriving = () => {}) {
        if (!this.more || this.loadingEarlier || !this.loaded) return this.loadingEarlier;
        const first = this.sorted()[0]?.info.id;
        if (!first) return null;
        const generation = this.generation;
        this.loadingEarlier = (async () => {
            try {
                const {list, more} = await this.page(FETCH, first);
                // a reload replaced what is held meanwhile: this page may not join it (messages between would be missing)
                if (generation !== this.generation) return;
                arriving();
                for (const m of list) {
                    if (!this.messages.has(m.info.id)) this.messages.set(m.info.id, {info: m.info, parts: new Map(m.parts.map((p) => [p.id, p]))});
                }
                this.more = more && list.length > 0;
            } catch {
                // the sentinel stays: scrolling to it again tries again
            } finally {
                this.loadingEarlier = null;
                this.changed();
            }
        })();
        return this.loadingEarlier;
    }

    /**
     * Whether a message id lies before the first message held while older ones are still on the server: a placeholder
     * for it would become the first held, and the next earlier page would start before it, skipping what lies between.
     */
    beforeHeld(id) {
        const first = this.sorted()[0]?.info.id;
        return this.more && first !== undefined && id < first;
    }

    changed() {
        this.version++;
        this.sortedCache = null;
        requestRender();
    }

    /** Loads (or reloads after a missed stretch of events) everything from the server. */
    load() {
        if (this.loading) return this.loading;
        this.loading = (async () => {
            try {
                // as many as are held (a reload after missed events keeps what was scrolled back to), at least a page
                const [session, status, page, todos, processes] = await Promise.all([
                    api(SESSION, {params: {id: this.id}}),
                    api(SESSION_STATUS, {params: {id: this.id}}).catch(() => ({type: 'idle'})),
                    this.page(this.heldPage()),
                    api(SESSION_TODO, {params: {id: this.id}}).catch(() => []),
                    api(SESSION_PROCESSES, {params: {id: this.id}}).catch(() => []),
                ]);
                this.session = session;
                this.status = status ?? {type: 'idle'};
                this.todos = todos ?? [];
                this.processes = processes ?? [];
                this.replaceMessages(page.list);
                this.more = page.more;
                this.error = '';
                this.loaded = true;
                for (const [type, data] of this.pending.splice(0)) {
                    // an update queued during the load may be older than the snapshot: it must not roll it back
                    if (type === 'message.part.updated' && this.olderThanLoaded(data.part)) continue;
                    this.apply(type, data);
                }
            } catch (e) {
                this.error = e.status === 404 ? 'This session does not exist (it may have been deleted).' : e.message || 'Could not load the session';
                this.pending = [];
            } finally {
                this.loading = null;
                this.changed();
            }
        })();
        return this.loading;
    }

    /**
     * Whether `part` (a queued update) is an earlier state of the part just loaded: its streamed text is a shorter
     * beginning of the loaded text, or its tool is at an earlier stage. Events carry no sequence the snapshot can be
     * compared with, but a part only grows while it streams.
     */
    olderThanLoaded(part) {
        const loaded = part && this.messages.get(part.messageId)?.parts.get(part.id);
        if (!loaded) return false;
        for (const field of ['text']) {
            const was = part[field];
            const now = loaded[field];
            if (typeof was === 'string' && typeof now === 'string' && was.length < now.length && now.startsWith(was)) return true;
        }
        const stage = (p) => ({pending: 0, running: 1, completed: 2, failed: 2, error: 2})[p?.state?.status] ?? -1;
        return part.type === 'tool' && stage(part) >= 0 && stage(part) < stage(loaded);
    }

    /**
     * Loads again after a delta that does not join what is held (events were missed): at most once a second, as the
     * stream goes on meanwhile and the reload brings its text up to that moment.
     */
    repair() {
        const now = Date.now();
        if (this.loading || now - (this.repairedAt ?? 0) < 1000) return;
        this.repairedAt = now;
        this.load();
    }

    /** Messages only (after a revert, undo or redo, which hide or show messages without per-message events). */
    async reloadMessages() {
        try {
            const page = await this.page(this.heldPage());
            this.replaceMessages(page.list);
            this.more = page.more;
            this.changed();
        } catch {
            // the next event or resync repairs it
        }
    }

    /** A page as big as what is held (up to the server's cap of 1000), at least FETCH. */
    heldPage() {
        return Math.min(1000, Math.max(FETCH, this.messages.size));
    }

    replaceMessages(list) {
        this.generation++;
        this.messages.clear();
        for (const m of list) this.messages.set(m.info.id, {info: m.info, parts: new Map(m.parts.map((p) => [p.id, p]))});
        this.sortedCache = null;
        // a turn running now has an open answer: user messages after it are still queued behind it
        this.waiting.clear();
        if (this.busy()) {
            const sorted = this.sorted();
            const open = sorted.findLast((m) => m.info.role === 'assistant' && m.info.completedAt == null);
            if (open) for (const m of sorted) if (m.info.role === 'user' && m.info.id > open.info.id) this.waiting.add(m.info.id);
        }
        this.sortedCache = null;
    }

    busy() {
        return this.status?.type && this.status.type !== 'idle';
    }

    /** Messages in order (ids are time-ordered), each {info, parts:[…] in order}. */
    sorted() {
        if (this.sortedCache) return this.sortedCache;
        const list = [...this.messages.values()].sort((a, b) => (a.info.id < b.info.id ? -1 : a.info.id > b.info.id ? 1 : 0));
        // `rev` counts the message's changes, so a view can skip re-rendering the ones that did not change
        this.sortedCache = list.map((m) => ({info: m.info, parts: [...m.parts.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), record: m}));
        return this.sortedCache;
    }

    isQueued(messageId) {
        return this.waiting.has(messageId);
    }

    /** Queued messages reach the model: the ones older than an answer that just opened, or all when the turn ended. */
    deliver(before) {
        for (const id of [...this.waiting]) if (before == null || id < before) this.waiting.delete(id);
    }

    apply(type, data) {
        switch (type) {
            case 'session.updated': {
                const revertMoved = (this.session?.revert ?? null) !== (data.session.revert ?? null);
                this.session = data.session;
                this.changed();
                // a revert or unrevert (from any client) hides or shows messages without an event per message
                if (revertMoved) this.reloadMessages();
                return;
            }
            case 'session.deleted':
                this.deleted = true;
                this.changed();
                return;
            case 'session.status':
                this.status = data.status;
                if (!this.busy()) this.deliver(null);
                this.changed();
                return;
            case 'message.updated': {
                const info = data.info;
                const known = this.messages.get(info.id);
                if (known) {
                    known.info = info;
                    known.rev = (known.rev ?? 0) + 1;
                }
                else {
                    if (this.beforeHeld(info.id)) return;  // history not loaded yet: the earlier page brings it
                    this.messages.set(info.id, {info, parts: new Map()});
                    if (info.role === 'user' && this.busy()) this.waiting.add(info.id);
                }
                if (info.role === 'assistant' && info.completedAt == null) this.deliver(info.id);
                this.changed();
                return;
            }
            case 'message.removed':
                if (this.messages.delete(data.messageId)) {
                    this.waiting.delete(data.messageId);
                    this.onRemoved?.(data.messageId);
                    this.changed();
                }
                return;
            case 'message.part.updated': {
                const part = data.part;
                let m = this.messages.get(part.messageId);
                if (!m) {
                    if (this.beforeHeld(part.messageId)) return;  // history not loaded yet: the earlier page brings it
                    // its message event was missed: keep the part under a placeholder until the message arrives
                    m = {info: {id: part.messageId, sessionId: this.id, role: 'assistant', createdAt: Date.now()}, parts: new Map()};
                    this.messages.set(part.messageId, m);
                }
                m.parts.set(part.id, part);
                m.rev = (m.rev ?? 0) + 1;
                // a queued message the stopped turn left not run (PromptNotRun): it stays, tagged, and waits no more
                if (part.type === 'text' && part.synthetic && part.text === NOT_RUN && this.waiting.delete(part.messageId)) {
                    this.onNotRun?.(part.messageId);
                }
                this.changed();
                return;
            }
            case 'message.part.removed': {
                const m = this.messages.get(data.messageId);
                if (m && m.parts.delete(data.partId)) {
                    m.rev = (m.rev ?? 0) + 1;
                    forgetMarkdown(data.partId);
                    this.changed();
                }
                return;
            }
            case 'message.part.delta': {
                const part = this.messages.get(data.messageId)?.parts.get(data.partId);
                if (!part) return;  // its part.updated comes first; a missed one is repaired by a resync
                const field = data.field || 'text';
                const held = part[field] ?? '';
                let more = data.delta;
                if (typeof data.offset === 'number' && data.offset >= 0) {
                    // the delta was appended at `offset`: what the loaded snapshot (or an update) already holds is
                    // dropped, only the rest is appended; an offset past what is held means text was missed
                    if (data.offset > held.length) {
                        this.repair();
                        return;
                    }
                    more = more.slice(held.length - data.offset);
                    if (!more) return;
                }
                // in place: the order of messages and parts stays, so the sorted list need not be rebuilt for every
                // few characters (views re-read the text on each render; Markdown is cached by text length)
                part[field] = held + more;
                const record = this.messages.get(data.messageId);
                record.rev = (record.rev ?? 0) + 1;
                this.version++;
                requestRender();
                return;
            }
            case 'todo.updated':
                this.todos = data.todos ?? [];
                this.changed();
                return;
            case 'process.started':
            case 'process.output':
            case 'process.exited':
                applyProcessEvent(this, type, data);
                return;
            default:
        }
    }
}

function sessionOf(type, data) {
    if (type === 'message.updated') return data.info?.sessionId;
    if (type === 'message.part.updated') return data.part?.sessionId;
    if (type === 'session.updated') return data.session?.id;
    return data?.sessionId;
}

onEvent((type, data) => {
    if (type === 'resync') {
        // events were missed (live.js also says so after reconnecting to a restarted server): what we hold may be stale
        for (const t of transcripts.values()) t.load();
        return;
    }
    const id = sessionOf(type, data);
    const t = id && transcripts.get(id);
    if (!t) return;
    if (t.loading) {
        // the answer being loaded may predate this event or not: apply it afterwards (a delta's offset tells how much
        // of it that answer already holds, since the server's answer carries streaming text up to its moment)
        t.pending.push([type, data]);
        return;
    }
    if (t.loaded) t.apply(type, data);
});
