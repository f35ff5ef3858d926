// The provider's rate-limit windows as the session view shows them (issue 68): the latest of each name from the steps
// held, the tightest in a few words for the header ("tokens 82% · resets 14:05"), and a warning when a window reaches
// 80 %, once per window. A window comes from the server's JSON: only the shape Lathe gives it is believed.
import {clock} from './numbers.js';

export const WARN_AT = 0.8;
const NAME = /^[a-z0-9][a-z0-9-]{0,23}$/;
const COUNTED = new Set(['requests', 'tokens', 'input-tokens', 'output-tokens']);
// the windows warned about, by name and reset, for the page's life: a window that resets and fills again warns again
const warned = new Set();

function valid(w) {
    return w && typeof w.name === 'string' && NAME.test(w.name) && Number.isFinite(w.used) && Number.isFinite(w.limit)
        && w.limit > 0 && w.used >= 0 && w.used <= w.limit && typeof w.resetsAt === 'string' && Number.isFinite(Date.parse(w.resetsAt));
}

/** The latest window of each name the steps of `messages` (in order, each {parts}) reported. */
export function latestQuota(messages) {
    const latest = new Map();
    for (const m of messages) for (const p of m.parts) {
        if (p.type === 'step-finish' && Array.isArray(p.quota)) for (const w of p.quota) if (valid(w)) latest.set(w.name, w);
    }
    return [...latest.values()];
}

function share(w) { return w.used / w.limit; }

/** "tokens 82% · resets 14:05" for the window closest to its limit; '' when none. */
export function quotaSummary(windows) {
    const tightest = windows.reduce((best, w) => (!best || share(w) > share(best) ? w : best), null);
    return tightest ? `${tightest.name} ${Math.round(share(tightest) * 100)}% · resets ${clock(Date.parse(tightest.resetsAt))}` : '';
}

/** The warnings `windows` call for that were not given yet on this page. */
export function quotaWarnings(windows) {
    const out = [];
    for (const w of windows) {
        const key = `${w.name}@${w.resetsAt}`;
        if (share(w) < WARN_AT || warned.has(key)) continue;
        warned.add(key);
        const what = COUNTED.has(w.name) ? `${w.name} ${Math.round(share(w) * 100)}% used (${w.used.toLocaleString()} of ${w.limit.toLocaleString()})`
            : `${w.name} window ${Math.round(share(w) * 100)}% used`;
        out.push(`Quota: ${what}, resets ${clock(Date.parse(w.resetsAt))}`);
    }
    return out;
}
