// Desktop notifications for what needs a person (a new ask or question, a finished or failed turn) while the page is
// in the background: the reason to keep a board open in a tab (DESIGN §22 "Notifications"). Off until the user turns it on (the browser asks once).
import {onEvent} from './live.js';
import {requestRender, state} from './store.js';
import {sessionHref} from './route.js';

const KEY = 'lathe.notify';

/** Whether this browser can show notifications here (they need a secure context: https, localhost, 127.0.0.1). */
export function notificationsSupported() {
    return 'Notification' in window && window.isSecureContext;
}

/** On when the user turned it on and the browser still allows it. */
export function notificationsOn() {
    return notificationsSupported() && Notification.permission === 'granted' && localStorage.getItem(KEY) === 'on';
}

/** Turns notifications on (asking the browser for permission the first time) or off. */
export async function toggleNotifications() {
    if (!notificationsSupported()) return;
    if (notificationsOn()) {
        localStorage.setItem(KEY, 'off');
    } else {
        const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
        localStorage.setItem(KEY, permission === 'granted' ? 'on' : 'off');
    }
    requestRender();
}

function show(title, body, tag, href) {
    if (!notificationsOn() || document.visibilityState === 'visible') return;
    try {
        const n = new Notification(title, {body, tag});
        n.onclick = () => {
            window.focus();
            location.hash = href;
            n.close();
        };
    } catch {
        // some browsers only allow notifications from a service worker; the tab title still shows the count
    }
}

function titleOf(sessionId) {
    const entry = state.sessions.get(sessionId);
    return entry ? entry.session.title : 'A session';
}

/** Sessions seen running a turn, and those whose turn failed or was stopped: their idle is no finished turn. */
const running = new Set();
const ended = new Set();

/** A subagent's turn ends inside its parent's: only the parent's end is told. */
function isChild(sessionId) {
    const entry = state.sessions.get(sessionId);
    return Boolean(entry && entry.session.parentId);
}

function statusChanged(sessionId, type) {
    if (type === 'idle') {
        const ran = running.delete(sessionId);
        const failed = ended.delete(sessionId);
        if (ran && !failed && !isChild(sessionId)) show(`${titleOf(sessionId)} finished`, 'turn finished', 'done-' + sessionId, sessionHref(sessionId));
    } else if (type && type !== 'queued') {
        if (!running.has(sessionId)) ended.delete(sessionId);
        running.add(sessionId);
    }
}

onEvent((type, data) => {
    if (type === 'permission.asked') {
        const r = data.request;
        show(`${titleOf(r.sessionId)} asks`, r.title || r.permission, r.id, '#/inbox?ask=' + encodeURIComponent(r.id));
    } else if (type === 'question.asked') {
        const q = data.request;
        show(`${titleOf(q.sessionId)} asks`, (q.questions[0] || {}).question || '', q.id, '#/inbox?ask=' + encodeURIComponent(q.id));
    } else if (type === 'session.status') {
        statusChanged(data.sessionId, data.status && data.status.type);
    } else if (type === 'session.error') {
        const error = data.error || {};
        if (running.has(data.sessionId)) ended.add(data.sessionId);
        if (error.kind === 'aborted') return;
        show(`${titleOf(data.sessionId)} failed`, error.message || '', 'error-' + data.sessionId, sessionHref(data.sessionId));
    }
});
