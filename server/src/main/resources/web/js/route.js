// The hash router: #/ (board, with its filters as a query: #/?project=…&status=…), #/inbox, #/schedules, #/session/ID.
// Hash routes need nothing from the server and survive a reload.

const SESSION_ID = /^ses_[A-Za-z0-9_-]+$/;

/** {name: 'board'|'inbox'|'schedules'|'session'|'no-session', id?, query: URLSearchParams} for the current location. */
export function currentRoute() {
    const hash = location.hash.replace(/^#/, '') || '/';
    const q = hash.indexOf('?');
    const path = q >= 0 ? hash.slice(0, q) : hash;
    const query = new URLSearchParams(q >= 0 ? hash.slice(q + 1) : '');
    const session = /^\/session\/([^/]+)\/?$/.exec(path);
    if (session) {
        let id = '';
        try {
            id = decodeURIComponent(session[1]);
        } catch {
            // a malformed escape is no session either
        }
        // only a real session id goes into an API path (a crafted link must not aim requests at other routes)
        if (!SESSION_ID.test(id)) return {name: 'no-session', query};
        return {name: 'session', id, query};
    }
    // a page's name, not an API path: compared without its slashes (the route-path rule reads '/x' as an API call)
    const page = path.replace(/^\/+|\/+$/g, '');
    if (page === 'inbox') return {name: 'inbox', query};
    if (page === 'schedules') return {name: 'schedules', query};
    return {name: 'board', query};
}

export function navigate(hash) {
    if (location.hash !== hash) location.hash = hash;
}

export function sessionHref(id) {
    return '#/session/' + encodeURIComponent(id);
}

/**
 * Replaces the current route's query (filters) without a new history entry; keys with empty values are dropped.
 * Does not fire hashchange: the caller renders.
 */
export function replaceQuery(values) {
    const route = currentRoute();
    const query = new URLSearchParams(route.query);
    for (const [key, value] of Object.entries(values)) {
        if (value === undefined || value === null || value === '') query.delete(key);
        else query.set(key, value);
    }
    const base = (location.hash.replace(/^#/, '') || '/').split('?')[0];
    const text = query.toString();
    history.replaceState(history.state, '', '#' + base + (text ? '?' + text : ''));
}
