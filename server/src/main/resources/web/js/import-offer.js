// The board's offer to bring in the sessions Claude Code, OpenCode and Codex wrote for a project folder (DESIGN §21):
// for each folder on the board the server is asked (POST /import/history, listing only) which of those tools'
// sessions it has not imported yet; they are listed with their tool, title, last change and size, to import one by
// one or all at once. Imported sessions reach the board through the event stream like any new session.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from './api.js';
import {HISTORY_IMPORT} from './api-routes.js';
import {requestRender} from './store.js';
import {fullTime, relativeTime} from './format.js';

const SOURCES = [['claude-code', 'Claude Code'], ['opencode', 'OpenCode'], ['codex', 'Codex']];
const SOURCE_NAME = Object.fromEntries(SOURCES);

/** directory → {entries: [{source, ...entry}], error, busy}; absent: not asked yet. Asked once per page load and after an import. */
const offers = new Map();

async function ask(directory) {
    const found = [];
    for (const [source] of SOURCES) {
        const result = await api(HISTORY_IMPORT, {body: {source, directory, all: false}});
        for (const e of (result && result.sessions) || []) {
            // a subagent's session comes with its parent's; one imported before is not offered again
            if (!e.parentSourceId && !e.sessionId) found.push({source, ...e});
        }
    }
    return found.sort((a, b) => b.updatedAt - a.updatedAt);
}

function refresh(directory) {
    const offer = offers.get(directory) || {entries: [], error: ''};
    offers.set(directory, {...offer, busy: offer.busy || ''});
    ask(directory)
        .then(entries => offers.set(directory, {entries, error: '', busy: ''}))
        // a folder the server cannot list (or an older server without the route) offers nothing rather than an error
        .catch(() => offers.set(directory, {entries: [], error: offers.get(directory).error, busy: ''}))
        .finally(requestRender);
}

/** Imports the given entries of one folder (one click: one or all), then asks again what is left. */
async function importEntries(directory, entries, label) {
    const offer = offers.get(directory);
    offers.set(directory, {...offer, busy: label, error: ''});
    requestRender();
    try {
        for (const e of entries) {
            await api(HISTORY_IMPORT, {body: {source: e.source, directory, id: e.sourceId, all: false}});
        }
        offers.set(directory, {...offers.get(directory), busy: ''});
    } catch (e) {
        offers.set(directory, {...offers.get(directory), busy: '', error: errorMessage(e)});
    }
    refresh(directory);
}

function row(directory, e, busy) {
    const title = e.title || 'Untitled';
    return html`<li class="import-row" data-import-source=${e.source} data-import-id=${e.sourceId}>
        <span class="import-source">${SOURCE_NAME[e.source]}</span>
        <span class="import-title" title=${title}>${title}</span>
        <time class="import-time" datetime=${new Date(e.updatedAt).toISOString()} title=${fullTime(e.updatedAt)}>${relativeTime(e.updatedAt)}</time>
        <span class="import-count">${e.messages} message${e.messages === 1 ? '' : 's'}</span>
        <button type="button" class="button import-one" ?disabled=${Boolean(busy)} aria-label=${`Import ${SOURCE_NAME[e.source]} session ${title}`}
            @click=${() => importEntries(directory, [e], title)}>Import</button>
    </li>`;
}

/**
 * The offer for the folders shown ({directory, name} each): nothing until a folder has sessions of another tool that
 * were never imported. Asks the server for folders it has not asked about yet.
 */
export function importOffer(projects) {
    for (const p of projects) if (!offers.has(p.directory)) {
        offers.set(p.directory, {entries: [], error: '', busy: 'loading'});
        refresh(p.directory);
    }
    const shown = projects.map(p => ({...p, offer: offers.get(p.directory)}))
        .filter(p => p.offer.entries.length || (p.offer.error && p.offer.busy !== 'loading'));
    if (!shown.length) return nothing;
    return html`${shown.map(p => {
        const {entries, error, busy} = p.offer;
        const n = entries.length;
        return html`<section class="import-offer" aria-label=${'Sessions from other tools in ' + p.name}>
            <div class="import-head">
                <h2>${n} session${n === 1 ? '' : 's'} from other tools in ${p.name}</h2>
                <span class="import-note">Not in Lathe yet: import to read and continue them with any model.</span>
                ${n > 1 ? html`<button type="button" class="button primary import-all" ?disabled=${Boolean(busy)}
                    aria-label=${'Import all sessions from other tools in ' + p.name}
                    @click=${() => importEntries(p.directory, entries, 'all')}>Import all</button>` : nothing}
            </div>
            ${error ? html`<div class="banner banner-error" role="alert">${error}</div>` : nothing}
            ${busy && busy !== 'loading' ? html`<p class="import-busy" role="status">Importing…</p>` : nothing}
            <ul class="import-list" role="list">${entries.map(e => row(p.directory, e, busy))}</ul>
        </section>`;
    })}`;
}
