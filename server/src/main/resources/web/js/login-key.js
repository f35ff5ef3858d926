// The login's second half. The login cookie alone is not enough: cookies are shared by every port of a host, so any
// other server on 127.0.0.1 would receive it. The server therefore also hands this page a key in the address
// (`/#key=KEY` after the one-time login), which we keep in localStorage: that is per origin, so per port, and no other
// site or port can read it. Every request sends it (api.js as a header, live.js in the stream's URL).
const STORAGE = 'lathe.key';
let key = null;

function adoptFromAddress() {
    const match = /^#key=([^&]+)/.exec(location.hash);
    if (!match) return;
    try {
        key = decodeURIComponent(match[1]);
    } catch {
        key = null;
    }
    try {
        if (key) localStorage.setItem(STORAGE, key);
    } catch {
        // no storage (a private window that forbids it): the key lives as long as this page
    }
    // out of the address bar and the history, so it is not copied, bookmarked or shown over someone's shoulder
    history.replaceState(null, '', location.pathname + location.search + '#/');
}

function stored() {
    try {
        return localStorage.getItem(STORAGE);
    } catch {
        return null;
    }
}

adoptFromAddress();
if (!key) key = stored();

/** The login key, or null when this browser was never logged in (show the login screen). */
export function loginKey() {
    return key;
}
