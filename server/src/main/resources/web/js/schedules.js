// The schedules page (#/schedules, docs/schedules.md): the caller's cron schedules with their next and last run, a form
// to add one (cron, folder, message; the zone is this browser's), and Remove on each. The same /schedules routes as
// `lathe schedule` use; the server answers a bad cron field, zone or folder with a 400 in the user's words, shown here.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {repeat} from '/vendor/lit-html/directives/repeat.js';
import {api, errorMessage} from './api.js';
import {SCHEDULES, SCHEDULE_ADD, SCHEDULE_REMOVE} from './api-routes.js';
import {requestRender} from './store.js';
import {knownProjects} from './board.js';
import {sessionHref} from './route.js';

const page = {loaded: false, loading: false, list: [], error: '', form: {cron: '', directory: '', message: ''}, sending: false, formError: '', notice: ''};

function browserZone() {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch {
        return 'UTC';
    }
}

async function load() {
    page.loading = true;
    try {
        page.list = await api(SCHEDULES) ?? [];
        page.error = '';
    } catch (e) {
        page.error = errorMessage(e);
    } finally {
        page.loading = false;
        page.loaded = true;
        requestRender();
    }
}

async function add(event) {
    event.preventDefault();
    const f = page.form;
    page.sending = true;
    page.formError = '';
    requestRender();
    try {
        const body = {cron: f.cron.trim(), zone: browserZone(), directory: f.directory.trim(), message: f.message};
        const made = await api(SCHEDULE_ADD, {body});
        page.form = {cron: '', directory: f.directory, message: ''};
        page.notice = `Added ${made.id}${made.nextRunAt ? `; next run ${when(made.nextRunAt)}` : ''}.`;
        await load();
    } catch (e) {
        page.formError = errorMessage(e);
    } finally {
        page.sending = false;
        requestRender();
    }
}

async function remove(s) {
    if (!window.confirm(`Remove schedule ${s.id} (${s.cron})? A run it already started goes on.`)) return;
    try {
        await api(SCHEDULE_REMOVE, {params: {id: s.id}});
        page.notice = `Removed ${s.id}.`;
        await load();
    } catch (e) {
        page.error = errorMessage(e);
        requestRender();
    }
}

function when(millis) {
    return millis == null ? '—' : new Date(millis).toLocaleString([], {dateStyle: 'medium', timeStyle: 'short'});
}

const setField = (name) => (e) => { page.form[name] = e.target.value; };

function row(s) {
    return html`<tr data-schedule=${s.id}>
        <td><code>${s.cron}</code><div class="schedule-zone">${s.zone}</div></td>
        <td>${s.repo ?? s.directory ?? ''}</td>
        <td class="schedule-message">${s.message}</td>
        <td>${when(s.nextRunAt)}</td>
        <td>${s.lastSessionId ? html`<a href=${sessionHref(s.lastSessionId)}>${when(s.lastRunAt)}</a>` : '—'}</td>
        <td><button type="button" class="link-button" aria-label=${'Remove ' + s.id} @click=${() => remove(s)}>Remove</button></td>
    </tr>`;
}

export function schedulesView() {
    if (!page.loaded && !page.loading) load();
    const f = page.form;
    if (!f.directory) f.directory = (knownProjects()[0] ?? {}).directory ?? '';
    const projects = knownProjects();
    return html`<div class="page-head"><h1>Schedules</h1>
            <span class="page-sub">Prompts run on a cron timetable, each as a new session of yours</span></div>
        ${page.error ? html`<p class="form-error" role="alert">${page.error}</p>` : nothing}
        ${page.notice ? html`<p class="notice muted" role="status">${page.notice}</p>` : nothing}
        ${page.list.length === 0 ? html`<div class="empty"><p>${page.loaded ? 'No schedules yet.' : 'Loading…'}</p></div>`
            : html`<table class="schedules"><thead><tr><th>Cron</th><th>Where</th><th>Message</th><th>Next run</th><th>Last run</th><th></th></tr></thead>
                <tbody>${repeat(page.list, (s) => s.id, row)}</tbody></table>`}
        <form class="form schedule-form" @submit=${add} aria-label="Add a schedule">
            <h2>Add a schedule</h2>
            <div class="field-row">
                <label class="field">
                    <span class="field-label">Cron</span>
                    <input type="text" name="cron" required autocomplete="off" spellcheck="false" placeholder="0 3 * * 1-5"
                        .value=${f.cron} @input=${setField('cron')}>
                    <span class="optional">minute hour day-of-month month day-of-week, in ${browserZone()}</span>
                </label>
                <label class="field">
                    <span class="field-label">Folder</span>
                    <input type="text" name="directory" list="schedule-folders" required autocomplete="off" spellcheck="false"
                        placeholder="/path/to/project" .value=${f.directory} @input=${setField('directory')}>
                    <datalist id="schedule-folders">${projects.map(p => html`<option value=${p.directory}>${p.name}</option>`)}</datalist>
                </label>
            </div>
            <label class="field">
                <span class="field-label">Message</span>
                <textarea name="message" required rows="3" .value=${f.message} @input=${setField('message')}
                    placeholder="Run the test suite and fix what fails"></textarea>
            </label>
            ${page.formError ? html`<p class="form-error" role="alert">${page.formError}</p>` : nothing}
            <div class="form-actions">
                <button type="submit" class="button primary" ?disabled=${page.sending}>${page.sending ? 'Adding…' : 'Add schedule'}</button>
            </div>
        </form>`;
}

/** Read again when the page is opened (another client may have added or removed one). */
export function schedulesOpened() {
    page.loaded = false;
    page.notice = '';
}
