// The session view (#/session/ID): a header with the title, folder, model and agent pickers, status, context fill and
// cost, and the session's actions; the transcript; the todo list; this session's pending asks; the prompt box.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {repeat} from '/vendor/lit-html/directives/repeat.js';
import {ref} from '/vendor/lit-html/directives/ref.js';
import {guard} from '/vendor/lit-html/directives/guard.js';
import {mayChange, ownerOf, requestRender, pendingFor, state} from '../store.js';
import {permissionCard, questionCard} from '../ask.js';
import {FETCH, onTranscriptDropped, transcriptOf} from './transcript.js';
import {messageView, REWOUND} from './parts.js';
import {markdownEpoch} from './markdown.js';
import {promptBox, restoreDraft, focusPrompt} from './prompt.js';
import {reportDialog} from './reports.js';
import {header, loadPickers, nextChoice, autoToggle} from './header.js';
import {trustQuestion} from '../trust.js';
import {teamPanel} from './team.js';
import {processesPanel} from './processes.js';
import {diffPanel, toggleDiff} from './diff-panel.js';
import {abort, closeReport, command, flash, openReport, revertTo, rewindTo, shell, submit, unrevert} from './actions.js';

// a real keyboard (and mouse), not a phone; a phone's emulation can report a fine pointer, never hover
const KEYBOARD = window.matchMedia('(hover: hover) and (pointer: fine)');
// a box too narrow for the key hint (a phone, a side panel) names no keys
const ROOM_FOR_KEYS = window.matchMedia('(min-width: 600px)');
const PAGE = FETCH;  // messages shown at first in a long session; older ones come as the user scrolls up
const views = new Map();
// a session dropped from memory starts afresh when shown again (scroll, pickers, dialogs)
onTranscriptDropped((id) => {
    const ui = views.get(id);
    if (ui) clearTimeout(ui.flashTimer);
    ui?.earlierObserver?.disconnect();
    views.delete(id);
});

function uiOf(id) {
    let ui = views.get(id);
    if (!ui) {
        ui = {
            id, menuOpen: false, renaming: false, nextModel: '', nextAgent: '', models: null, agents: null, pickersFor: '',
            flash: null, flashTimer: 0, dialog: null, acting: '', limit: PAGE, log: null, stick: true, queuedTexts: new Map(),
            todosOpen: window.matchMedia('(min-width: 1100px)').matches, focused: false,
        };
        views.set(id, ui);
    }
    return ui;
}

/** The view of session `id` (a lit template); loads the session on first call. */
export function sessionView(id) {
    const t = transcriptOf(id);
    const ui = uiOf(id);
    t.onRemoved = t.onNotRun = (messageId) => {
        // a message queued behind a turn that was stopped is left not run by the server: give its text back
        const text = ui.queuedTexts.get(messageId);
        if (text == null) return;
        ui.queuedTexts.delete(messageId);
        restoreDraft(id, text);
        flash(ui, 'Not sent: the turn was interrupted. Your queued message is back in the box.', 'info');
    };
    rememberScroll(ui);
    if (!t.loaded) {
        return html`<section class="session-view" aria-label="Session" aria-busy=${t.error ? 'false' : 'true'}>
            <div class="sv-empty">${t.error ? html`<p class="error-box" role="alert">${t.error}</p>
                <div class="sv-empty-actions"><a class="button" href="#/">Back to the board</a>
                <button type="button" class="button" @click=${() => t.load()}>Try again</button></div>` : html`<p class="muted">Loading the session…</p>`}</div>
        </section>`;
    }
    const session = t.session;
    if (t.deleted) {
        return html`<section class="session-view" aria-label="Session"><div class="sv-empty">
            <p>This session was deleted.</p><a class="button" href="#/">Back to the board</a></div></section>`;
    }
    loadPickers(ui, session.directory);
    if (!ui.focused) {
        ui.focused = true;
        // on a phone the keyboard would cover the transcript: only focus where there is a real keyboard
        if (KEYBOARD.matches) requestAnimationFrame(() => focusPrompt(id));
    }
    const busy = t.busy();
    const pending = asksFor(id);
    return html`<section class="session-view" aria-label=${`Session ${session.title}`}>
        ${header(t, ui, session, busy)}
        ${session.revert ? revertBanner(t, ui) : nothing}
        <div class="sv-body">
            <div class="transcript" role="log" aria-label="Transcript" aria-relevant="additions" tabindex="0" ${ref((el) => { ui.log = el ?? null; })}
                @scroll=${() => onScroll(ui)}>
                ${transcriptBody(t, ui, busy)}
            </div>
            ${t.todos.length ? todoPanel(t, ui) : nothing}
            ${processesPanel(t, id)}
            ${teamPanel(id)}
            ${diffPanel(id)}
        </div>
        <div class="sv-foot">
            ${trustQuestion(session.directory)}
            ${pending.permissions.length || pending.questions.length ? html`<div class="sv-asks" aria-label="Waiting for you">
                ${pending.permissions.map((p) => permissionCard(p, {withOrigin: p.sessionId !== id}))}
                ${pending.questions.map((q) => questionCard(q, {withOrigin: q.sessionId !== id}))}
            </div>` : nothing}
            <div class="sv-flash" role="status" aria-live="polite">${ui.flash ? html`<div class="flash flash-${ui.flash.kind}">
                <span>${ui.flash.text}</span>
                <button type="button" class="icon-button" aria-label="Dismiss" @click=${() => { ui.flash = null; requestRender(); }}>✕</button>
            </div>` : nothing}</div>
            ${nextChoice(ui, session)}
            ${mayChange(id) ? autoToggle(ui) : nothing}
            ${!mayChange(id) ? watchOnlyNote(id) : promptBox({
                sessionId: id,
                directory: session.directory,
                placeholder: busy ? (KEYBOARD.matches && ROOM_FOR_KEYS.matches ? 'Steer the running turn…  (Alt+Enter queues it for after; Esc stops the agent)'
                    : 'Steer the running turn…') : undefined,
                queue: busy,
                escape: () => {
                    if (!t.busy() || ui.acting === 'abort') return false;
                    abort(t, ui);
                    return true;
                },
                submit: (text, files, delivery) => submit(t, ui, text, files, delivery),
                command: (name, args) => command(t, ui, name, args),
                shell: (line) => shell(t, ui, line),
                notify: (text) => flash(ui, text, 'error'),
            })}
        </div>
        ${ui.dialog ? reportDialog(ui, () => closeReport(ui), session) : nothing}
    </section>`;
}

/**
 * In place of the prompt box, on someone else's session on a team server (DESIGN §20): everyone watches, only its owner
 * or an admin prompts it, so no box is offered whose message the server would refuse.
 */
function watchOnlyNote(id) {
    const owner = ownerOf(id);
    return html`<p class="prompt-watch-only" role="note">${owner
        ? html`You are watching <strong>${owner}</strong>'s session: only its owner or an admin can send it messages.`
        : 'You are watching a session without an owner: only an admin can send it messages.'}
        You are signed in as ${state.me.name}.</p>`;
}

/**
 * The asks waiting in this session and in its subagents' sessions (a subagent's ask blocks this session too, and
 * the user is looking here).
 */
function asksFor(id) {
    const ids = [id];
    for (let i = 0; i < ids.length && ids.length < 50; i++) {
        for (const entry of state.sessions.values()) if (entry.session.parentId === ids[i]) ids.push(entry.session.id);
    }
    const all = ids.map((sid) => pendingFor(sid));
    return {permissions: all.flatMap((a) => a.permissions), questions: all.flatMap((a) => a.questions)};
}

// ---- transcript ----

function transcriptBody(t, ui, busy) {
    const all = t.sorted();
    const hidden = Math.max(0, all.length - ui.limit);
    const shown = hidden ? all.slice(hidden) : all;
    // the calls of this session an open ask holds, so their cards say what they wait for instead of "running"
    const open = pendingFor(t.id);
    const held = new Map([...open.permissions.map((p) => [p.callId, 'permission']), ...open.questions.map((q) => [q.callId, 'question'])]
        .filter(([callId]) => callId));
    const heldKey = [...held.keys()].sort().join(' ');
    const rewound = rewoundTurns(all);
    const ctx = {
        sessionId: t.id,
        showChanges: () => toggleDiff(t.id, 'session'),
        busy,
        queued: (messageId) => t.isQueued(messageId),
        revert: (messageId) => revertTo(t, ui, messageId),
        rewind: (messageId, restore) => rewindTo(t, ui, messageId, restore),
        rewound: (messageId) => rewound.has(messageId),
        waitingOn: (callId) => held.get(callId) ?? null,
        autoOf: (callId) => state.autos.get(callId) ?? null,
    };
    const s = t.status ?? {};
    return html`
        ${hidden || t.more ? html`<button type="button" class="button show-earlier" ${ref((el) => watchEarlier(t, ui, el))}
            @click=${() => showEarlier(t, ui)}>${hidden ? `Show ${Math.min(hidden, PAGE)} earlier ${hidden === 1 ? 'message' : 'messages'} (${hidden} hidden)`
                : t.loadingEarlier ? 'Loading earlier messages…' : '↑ Earlier messages'}</button>` : unwatchEarlier(ui)}
        ${all.length === 0 ? html`<div class="sv-empty muted"><p>No messages yet. Ask the agent something below.</p></div>` : nothing}
        ${repeat(shown, (m) => m.info.id, (m) => guard([m.record.rev ?? 0, m.info, busy, t.isQueued(m.info.id), rewound.has(m.info.id), markdownEpoch(), heldKey, state.autoEpoch], () => messageView(m, ctx)))}
        ${busy && s.type !== 'retry' && all.length && all[all.length - 1].info.role === 'user' && !t.isQueued(all[all.length - 1].info.id)
            ? html`<div class="thinking" role="img" aria-label="Working"><span class="dot"></span><span class="dot"></span><span class="dot"></span></div>` : nothing}
        ${s.type === 'retry' ? html`<div class="notice warn" role="status" title=${s.message ?? ''}>↻ Trying again${s.nextAt ? ` at ${new Date(s.nextAt).toLocaleTimeString()}` : ''}
            (attempt ${s.attempt}${s.maxAttempts ? ` of ${s.maxAttempts}` : ''})</div>` : nothing}`;
}

/**
 * The ids of the messages a rewind took back (as RewoundTurns in the protocol module): each prompt carrying the mark,
 * and the assistant messages answering one or written after one.
 */
function rewoundTurns(messages) {
    const out = new Set();
    let afterRewound = false;
    for (const m of messages) {
        if (m.info.role === 'user') {
            afterRewound = m.parts.some((p) => p.type === 'text' && p.synthetic && p.text === REWOUND);
            if (afterRewound) out.add(m.info.id);
        } else if (afterRewound || out.has(m.info.parentId)) {
            out.add(m.info.id);
        }
    }
    return out;
}

/**
 * Shows the messages above the first one shown: those held but not shown yet, else the page before them from the
 * server. The message the user was reading stays where it is on screen (the distance to the bottom is kept).
 */
function showEarlier(t, ui) {
    const keepPlace = () => { if (ui.log) ui.anchor = ui.log.scrollHeight - ui.log.scrollTop; };
    ui.stick = false;
    if (t.sorted().length > ui.limit) {
        keepPlace();
        ui.limit += PAGE;
        requestRender();
        return;
    }
    t.loadEarlier(() => {
        keepPlace();
        ui.limit = Math.max(ui.limit, t.sorted().length) + PAGE;
    });
    requestRender();  // the button says it is loading
}

/**
 * The "earlier messages" button at the top of the transcript is also a sentinel: scrolling it into view shows the
 * messages above (no polling, no scroll handler maths). Only once the user has scrolled up: on opening, the log
 * is scrolled to the bottom, and a short session's button may be in view from the start.
 */
function watchEarlier(t, ui, el) {
    if (!el || el === ui.earlierSentinel) return;
    if (!ui.earlierObserver || ui.earlierRoot !== ui.log) {
        ui.earlierObserver?.disconnect();
        ui.earlierRoot = ui.log;
        ui.earlierObserver = new IntersectionObserver((entries) => {
            if (entries.some((e) => e.isIntersecting) && !ui.stick && !t.loadingEarlier) showEarlier(t, ui);
        }, {root: ui.log, rootMargin: '200px 0px 0px 0px'});
    }
    if (ui.earlierSentinel) ui.earlierObserver.unobserve(ui.earlierSentinel);
    ui.earlierSentinel = el;
    ui.earlierObserver.observe(el);
}

function unwatchEarlier(ui) {
    if (ui.earlierSentinel) ui.earlierObserver?.unobserve(ui.earlierSentinel);
    ui.earlierSentinel = null;
    return nothing;
}

function nearBottom(el) {
    return !el || el.scrollHeight - el.scrollTop - el.clientHeight < 80;
}

/** Keeps the newest text in sight while it streams, unless the user scrolled up to read. */
function rememberScroll(ui) {
    // earlier messages were just put above: keep the one being read in place
    if (ui.anchor != null) {
        requestAnimationFrame(() => {
            if (!ui.log || ui.anchor == null) return;
            ui.log.scrollTop = ui.log.scrollHeight - ui.anchor;
            ui.autoTop = ui.log.scrollTop;
            ui.anchor = null;
        });
        return;
    }
    // `stick` follows the user's own scrolling (onScroll); content growing does not clear it
    if (ui.stick) {
        requestAnimationFrame(() => {
            if (!ui.log || !ui.stick) return;
            ui.log.scrollTop = ui.log.scrollHeight;
            ui.autoTop = ui.log.scrollTop;
        });
    }
}

function onScroll(ui) {
    const el = ui.log;
    // our own scroll to the bottom also fires this, possibly after more text arrived: only the user's scrolling counts
    if (!el || Math.abs(el.scrollTop - (ui.autoTop ?? -1)) < 2) return;
    ui.stick = nearBottom(el);
}

function todoPanel(t, ui) {
    const done = t.todos.filter((x) => x.status === 'completed').length;
    return html`<aside class="todos" aria-label="Todo list">
        <details ?open=${ui.todosOpen} @toggle=${(e) => { ui.todosOpen = e.target.open; }}>
            <summary>Todo <span class="muted">${done}/${t.todos.length}</span></summary>
            <ul>${t.todos.map((x) => html`<li class="todo todo-${x.status}">
                <span class="todo-box" aria-hidden="true">${({completed: '☑', in_progress: '◐', cancelled: '☒'})[x.status] ?? '☐'}</span>
                <span class="todo-text">${x.content}</span>
                <span class="visually-hidden">(${x.status.replace('_', ' ')}${x.priority === 'high' ? ', high priority' : ''})</span>
                ${x.priority === 'high' ? html`<span class="tag tag-high" aria-hidden="true">high</span>` : nothing}
            </li>`)}</ul>
        </details>
    </aside>`;
}

function revertBanner(t, ui) {
    return html`<div class="revert-banner" role="status">
        <span>Later messages are hidden and their file changes reverted. Your next message drops them for good.</span>
        <button type="button" class="button" ?disabled=${!!ui.acting} @click=${() => unrevert(t, ui)}>Restore them</button>
    </div>`;
}
