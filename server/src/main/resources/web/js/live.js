// The page's one live connection: a single EventSource on /events shared by every view.
//
// The browser's EventSource already retries and sends Last-Event-ID, so events missed during a short drop are
// replayed. It gives up for good on some failures (an HTTP error while reconnecting leaves it CLOSED), and it can sit
// in a dead socket after a network change, so we also re-create it ourselves: when it is CLOSED, when the browser
// comes back online and when the tab becomes visible again. A new EventSource has no Last-Event-ID, so when we made
// one to replace another, its first `server.connected` asks everyone to refetch (a synthesised `resync`). The browser's
// own reconnects resume with Last-Event-ID, and the server sends `resync` itself when it cannot replay what was missed.

import {loginKey} from './login-key.js';
import {EVENTS} from './api-routes.js';

// SSE `event:` is the event's type, and EventSource only delivers named events to listeners registered by name.
const TYPES = [
    'session.created', 'session.updated', 'session.deleted', 'session.status', 'session.error', 'session.compacted',
    'message.updated', 'message.removed', 'message.part.updated', 'message.part.removed', 'message.part.delta',
    'permission.asked', 'permission.replied', 'permission.auto', 'question.asked', 'question.replied', 'todo.updated', 'file.edited', 'diff.updated',
    'editor.requested', 'config.updated', 'config.error', 'mcp.status', 'mcp.auth', 'auth.signin', 'session.mcp.status',
    'lsp.diagnostics', 'lsp.status', 'network.blocked', 'process.started', 'process.output', 'process.exited', 'server.connected',
    'server.heartbeat', 'resync',
];

const listeners = new Set();
const connectionListeners = new Set();
let source = null;
let state = 'connecting';
let created = 0;  // EventSources made so far; every one after the first replaces a lost one
let retryTimer = null;
let retryDelay = 1000;
let started = false;
let probe = null;

/** fn() runs when the stream failed with an HTTP error, to find out why with an ordinary request. */
export function onStreamRefused(fn) {
    probe = fn;
}

/** fn(type, data, seq) for every event; returns the unsubscribe function. */
export function onEvent(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
}

/** 'live' | 'connecting' | 'offline'. */
export function connection() {
    return state;
}

/** fn(state) whenever connection() changes. */
export function onConnection(fn) {
    connectionListeners.add(fn);
    return () => connectionListeners.delete(fn);
}

/** Opens the stream (once; later calls do nothing). */
export function startLive() {
    if (started) return;
    started = true;
    window.addEventListener('online', () => reconnectIfDead(true));
    window.addEventListener('offline', () => setState('offline'));
    document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') reconnectIfDead(false);
    });
    open();
}

/** Closes the stream for good (after a 401: there is nobody to stream to). */
export function stopLive() {
    started = false;
    clearTimeout(retryTimer);
    if (source) source.close();
    source = null;
    setState('offline');
}

function open() {
    clearTimeout(retryTimer);
    if (source) source.close();
    setState(navigator.onLine === false ? 'offline' : 'connecting');
    // EventSource cannot send headers: the login key goes in the URL (same origin only, never in the address bar)
    const es = new EventSource(EVENTS.template + '?key=' + encodeURIComponent(loginKey() || ''));
    source = es;
    const replacement = ++created > 1;
    let greeted = false;
    es.addEventListener('open', () => {
        if (es !== source) return;
        retryDelay = 1000;
        setState('live');
    });
    es.addEventListener('error', () => {
        if (es !== source) return;
        if (es.readyState === EventSource.CLOSED) {
            // the browser gave up (an HTTP error: maybe the server restarted and forgot our login; the probe's
            // request finds out and shows the login screen); try again ourselves, backing off up to 30 s
            setState(navigator.onLine === false ? 'offline' : 'connecting');
            if (probe) probe();
            retryTimer = setTimeout(() => { if (started) open(); }, retryDelay);
            retryDelay = Math.min(retryDelay * 2, 30_000);
        } else {
            setState(navigator.onLine === false ? 'offline' : 'connecting');
        }
    });
    const deliver = (type) => (message) => {
        if (es !== source) return;
        let data = null;
        try {
            data = message.data ? JSON.parse(message.data) : null;
        } catch {
            return; // a line we cannot read is not worth breaking the page for
        }
        const seq = message.lastEventId ? Number(message.lastEventId) : null;
        if (state !== 'live') setState('live');
        if (type === 'server.connected') {
            // a new EventSource starts without Last-Event-ID: whatever happened since the old one died is missing
            if (replacement && !greeted) dispatch('resync', data, seq);
            greeted = true;
        }
        dispatch(type, data, seq);
    };
    for (const type of TYPES) es.addEventListener(type, deliver(type));
    es.addEventListener('message', (m) => {
        let data = null;
        try {
            data = JSON.parse(m.data);
        } catch {
            return;
        }
        if (data && typeof data.type === 'string' && !TYPES.includes(data.type)) deliver(data.type)(m);
    });
}

function reconnectIfDead(networkChanged) {
    if (!started) return;
    // after a network change even an OPEN socket may be dead without knowing it; a fresh one is cheap
    if (networkChanged || !source || source.readyState === EventSource.CLOSED) {
        retryDelay = 1000;
        open();
    }
}

function dispatch(type, data, seq) {
    for (const fn of listeners) {
        try {
            fn(type, data, seq);
        } catch (e) {
            console.error('event listener failed for', type, e);
        }
    }
}

function setState(next) {
    if (state === next) return;
    state = next;
    connectionListeners.forEach(fn => fn(state));
}
