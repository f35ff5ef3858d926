// Small formatters shared by the board, the inbox and the session view. Pure functions, no DOM.

/**
 * Micro-dollars → "$0.0123" below a dollar, "$12.34" from one: the one rule of every client (the TUI's footer and
 * summary, `lathe stats`), so a column of costs reads alike and a cheap turn does not read as $0.00.
 */
/**
 * The cost of {@code usage}: dollars, or "price unknown" when tokens were used and nothing was charged — a model without
 * a catalog or config price, rather than a free answer (the terminal UI's rule, Money.cost). For a session `lathe import`
 * made (`importedFrom` set) its tokens were billed by the other harness: "imported (not billed by Lathe)", after what
 * Lathe billed since.
 */
export function cost(micros, usage, importedFrom) {
    if (importedFrom) return Number(micros) ? money(micros) + ' + ' + NOT_BILLED : NOT_BILLED;
    const u = usage || {};
    const used = ['input', 'output', 'reasoning', 'cacheRead', 'cacheWrite'].reduce((sum, k) => sum + (Number(u[k]) || 0), 0);
    return !Number(micros) && used > 0 ? 'price unknown' : money(micros);
}

export const NOT_BILLED = 'imported (not billed by Lathe)';

export function money(micros) {
    const dollars = (Number(micros) || 0) / 1_000_000;
    // nothing spent reads "$0.00", as Money.dollars says it (issue 82)
    if (dollars === 0) return '$0.00';
    return '$' + dollars.toFixed(dollars < 1 ? 4 : 2);
}

/** Token counts → "950", "12.3k", "123k", "1.2M". */
export function tokens(n) {
    n = Number(n) || 0;
    if (n < 1000) return String(n);
    if (n < 10_000) return (n / 1000).toFixed(1).replace(/\.0$/, '') + 'k';
    if (n < 1_000_000) return Math.round(n / 1000) + 'k';
    return (n / 1_000_000).toFixed(1).replace(/\.0$/, '') + 'M';
}

/** Epoch millis → "now", "42s ago", "5m ago", "3h ago", "2d ago", then a short date. */
export function relativeTime(millis, now = Date.now()) {
    if (!millis) return '';
    const seconds = Math.max(0, Math.round((now - millis) / 1000));
    if (seconds < 5) return 'now';
    if (seconds < 60) return seconds + 's ago';
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + 'm ago';
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return hours + 'h ago';
    const days = Math.floor(hours / 24);
    if (days < 7) return days + 'd ago';
    return new Date(millis).toLocaleDateString(undefined, {month: 'short', day: 'numeric'});
}

/** Epoch millis → full local date and time, for a tooltip beside a relative time. */
export function fullTime(millis) {
    return millis ? new Date(millis).toLocaleString() : '';
}

/** Seconds left → "4:32". */
export function countdown(millisLeft) {
    const s = Math.max(0, Math.ceil(millisLeft / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
}

/** A project folder → its last path segment ("/home/a/src/lathe" → "lathe"). */
export function folderName(directory) {
    if (!directory) return '';
    const parts = String(directory).split(/[\\/]+/).filter(Boolean);
    return parts.length ? parts[parts.length - 1] : directory;
}

/** "provider/model" → "model" (the provider is in the tooltip). */
export function shortModel(model) {
    if (!model) return '';
    const slash = model.indexOf('/');
    return slash >= 0 ? model.slice(slash + 1) : model;
}
