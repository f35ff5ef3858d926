// The one way the page talks HTTP to the server: same-origin fetch with the login cookie and the login key (see
// login-key.js), JSON in and out.
import {loginKey} from './login-key.js';

/** An HTTP error from the server, carrying its {error:{code,message}} so the UI can show the message. */
export class ApiError extends Error {
    constructor(status, code, message) {
        super(message);
        this.name = 'ApiError';
        this.status = status;
        this.code = code;
    }
}

const unauthorizedListeners = new Set();

/**
 * fn() runs when a request answers 401 (the login is missing, or the server forgot it). Only 401: a 404 or 405 is a
 * route this server does not have (an older daemon), not a lost login.
 */
export function onUnauthorized(fn) {
    unauthorizedListeners.add(fn);
    return () => unauthorizedListeners.delete(fn);
}

/**
 * The path of `route` (a constant of api-routes.js, the server's one route table) with `params` in place of its
 * `{name}` parameters, each encoded as one segment.
 */
export function routePath(route, params = {}) {
    return route.template.replace(/\{([^}]+)\}/g, (_, name) => {
        const value = params[name];
        if (value === undefined || value === null || value === '') throw new ApiError(0, 'bad_request', `${name} is missing`);
        const text = String(value);
        // a "." or ".." segment would be resolved away by the URL, aiming the request at another route
        return text === '.' || text === '..' ? text.replaceAll('.', '%2E') : encodeURIComponent(text);
    });
}

/**
 * Calls the server: `api(BOARD)`, `api(SESSION_PROMPT, {params: {id}, body: {...}})`, with a route of api-routes.js,
 * never a path written here. `params` fill the route's path parameters, `query` becomes the query string (entries that
 * are undefined or null are left out), and `directory` the `?directory=` query parameter most per-folder routes take.
 * Resolves to the parsed JSON, or null for an empty body. `headers`, when given, is called with the successful
 * response's headers (a paged route says there is more in one).
 */
export async function api(route, {params, query, body, directory, headers} = {}) {
    if (!route || typeof route.template !== 'string') throw new ApiError(0, 'bad_request', 'not a route of api-routes.js');
    const method = route.method;
    let url = routePath(route, params);
    const pairs = [];
    for (const [key, value] of Object.entries(query || {})) {
        if (value !== undefined && value !== null) pairs.push(encodeURIComponent(key) + '=' + encodeURIComponent(value));
    }
    if (directory !== undefined && directory !== null) pairs.push('directory=' + encodeURIComponent(directory));
    if (pairs.length) url += '?' + pairs.join('&');
    const init = {method, credentials: 'same-origin', headers: {Accept: 'application/json'}};
    const key = loginKey();
    if (key) init.headers['X-Lathe-Key'] = key;
    if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    let response;
    try {
        response = await fetch(url, init);
    } catch (e) {
        throw new ApiError(0, 'network', 'The server cannot be reached.');
    }
    const text = await response.text();
    let data = null;
    if (text) {
        try {
            data = JSON.parse(text);
        } catch {
            data = null;
        }
    }
    if (!response.ok) {
        if (response.status === 401) unauthorizedListeners.forEach(fn => fn());
        const error = data && data.error ? data.error : {};
        throw new ApiError(response.status, error.code || 'http_' + response.status,
            error.message || `The server answered ${response.status} ${response.statusText}`.trim());
    }
    if (headers) headers(response.headers);
    return data;
}

/** The message to show for any thrown value (never a stack trace). */
export function errorMessage(e) {
    if (e instanceof ApiError) return e.message;
    return 'Something went wrong: ' + (e && e.message ? e.message : String(e));
}
