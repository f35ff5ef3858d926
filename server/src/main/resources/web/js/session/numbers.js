// Formatters only the session view needs (durations, percentages, times of day); money and tokens are in ../format.js.

/** Milliseconds → "850 ms", "3.2 s", "2 min 5 s". */
export function duration(ms) {
    const v = Math.max(0, Number(ms) || 0);
    if (v < 1000) return `${Math.round(v)} ms`;
    if (v < 60_000) return `${(v / 1000).toFixed(1).replace(/\.0$/, '')} s`;
    const m = Math.floor(v / 60_000);
    const s = Math.round((v % 60_000) / 1000);
    return s ? `${m} min ${s} s` : `${m} min`;
}

/** 0.4567 → "46%". */
export function percent(ratio) {
    return `${Math.round((Number(ratio) || 0) * 100)}%`;
}

/** Epoch millis → local time of day (with the date when not today). */
export function clock(at) {
    if (!at) return '';
    const d = new Date(at);
    const today = new Date().toDateString() === d.toDateString();
    const time = d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
    return today ? time : `${d.toLocaleDateString([], {month: 'short', day: 'numeric'})} ${time}`;
}
