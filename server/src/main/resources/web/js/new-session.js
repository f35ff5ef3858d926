// "New session": pick any known folder (or type a path), optionally a title, model and agent, and whether it runs in
// a new git worktree of the folder's repository (DESIGN §19: its own checkout on branch lathe/NAME), then open the new
// session. A folder that defines something that runs code and was never asked about gets the trust question here,
// before its first session.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {answerBody, trustCard} from './trust.js';
import {api, errorMessage} from './api.js';
import {AGENTS, MODELS, SESSION_CREATE, TRUST, TRUST_SET} from './api-routes.js';
import {requestRender, state} from './store.js';
import {closeDialog, dialogGeneration, modal} from './dialog.js';
import {knownProjects, takeNewSessionFolder} from './board.js';
import {sessionHref} from './route.js';
import {folderName} from './format.js';

let form = null;

function freshForm() {
    const recent = [...state.projects].sort((a, b) => (b.lastActivity || 0) - (a.lastActivity || 0));
    const folder = takeNewSessionFolder() || (recent[0] && recent[0].directory) || '';
    return {generation: dialogGeneration(), folder, title: '', model: '', agent: '', worktree: false, worktreeName: '',
        sending: false, error: null, models: [], agents: [], trust: null, optionsFor: null};
}

/** Loads what the chosen folder offers (models, agents) and whether it needs the trust question. */
let lookupTimer = null;
function lookUpFolder() {
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(async () => {
        const f = form;
        if (!f) return;
        const folder = f.folder.trim();
        if (!folder.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(folder)) return;
        if (f.optionsFor === folder) return;
        f.optionsFor = folder;
        const [models, agents, trust] = await Promise.all([
            api(MODELS, {directory: folder}).catch(() => []),
            api(AGENTS, {directory: folder}).catch(() => []),
            api(TRUST, {directory: folder}).catch(() => null),
        ]);
        if (form !== f || f.folder.trim() !== folder) return;
        f.models = (models || []).filter(m => m.chat !== false);
        f.agents = (agents || []).filter(a => a.mode !== 'subagent');
        f.trust = trust;
        requestRender();
    }, 250);
}

function setField(name) {
    return (event) => {
        form[name] = event.target.value;
        if (name === 'folder') lookUpFolder();
    };
}

async function answerTrust(trusted) {
    const f = form;
    try {
        f.trust = await api(TRUST_SET, {directory: f.folder.trim(), body: answerBody(f.trust, trusted)});
        if (!f.trust) f.trust = {trusted, answered: true, skipped: []};
        f.trust.answered = true;
    } catch (e) {
        f.error = errorMessage(e);
    }
    requestRender();
}

async function create(event) {
    event.preventDefault();
    const f = form;
    const directory = f.folder.trim();
    if (!directory) {
        f.error = 'Choose a folder.';
        requestRender();
        return;
    }
    const body = {directory};
    if (f.title.trim()) body.title = f.title.trim();
    if (f.model.trim()) body.model = f.model.trim();
    if (f.agent.trim()) body.agent = f.agent.trim();
    f.sending = true;
    f.error = null;
    requestRender();
    try {
        if (f.worktree) {
            // the server makes the worktree once the session's id exists (a WorktreeCreate hook is told it), as
            // `lathe run --worktree` does; a session it cannot create leaves no worktree behind
            body.worktree = {};
            if (f.worktreeName.trim()) body.worktree.name = f.worktreeName.trim();
        }
        const session = await api(SESSION_CREATE, {body});
        form = null;
        closeDialog();
        location.hash = sessionHref(session.id);
    } catch (e) {
        f.sending = false;
        f.error = errorMessage(e);
        requestRender();
    }
}

function defaultModel(models) {
    const m = models.find(x => x.sessionDefault);
    return m ? `${m.provider}/${m.model} (default)` : "The folder's default";
}

export function newSessionDialog() {
    if (!form || form.generation !== dialogGeneration()) {
        form = freshForm();
        lookUpFolder();
    }
    const f = form;
    const projects = knownProjects().sort((a, b) => a.name.localeCompare(b.name));
    const body = html`<form class="form" @submit=${create}>
        <label class="field">
            <span class="field-label">Folder</span>
            <input type="text" name="folder" list="known-folders" required autocomplete="off" spellcheck="false"
                placeholder="/path/to/project" .value=${f.folder} @input=${setField('folder')} autofocus>
            <datalist id="known-folders">${projects.map(p => html`<option value=${p.directory}>${p.name}</option>`)}</datalist>
        </label>
        ${projects.length ? html`<div class="folder-picks" role="group" aria-label="Pick a project">
            ${projects.slice(0, 12).map(p => html`<button type="button" class="chip" title=${p.directory}
                aria-pressed=${f.folder === p.directory ? 'true' : 'false'}
                @click=${() => { f.folder = p.directory; lookUpFolder(); requestRender(); }}>${p.name || folderName(p.directory)}</button>`)}
        </div>` : nothing}
        ${trustCard(f.trust, answerTrust)}
        <label class="field">
            <span class="field-label">Title <span class="optional">optional</span></span>
            <input type="text" name="title" .value=${f.title} @input=${setField('title')} placeholder="From the first message">
        </label>
        <div class="field-row">
            <label class="field">
                <span class="field-label">Model <span class="optional">optional</span></span>
                <input type="text" name="model" list="folder-models" autocomplete="off" spellcheck="false"
                    .value=${f.model} @input=${setField('model')}
                    placeholder=${defaultModel(f.models)}>
                <datalist id="folder-models">${f.models.map(m => html`<option value=${m.provider + '/' + m.model}>${m.name || m.model}</option>`)}</datalist>
            </label>
            <label class="field">
                <span class="field-label">Agent <span class="optional">optional</span></span>
                <select name="agent" @change=${setField('agent')}>
                    <option value="" ?selected=${!f.agent}>Default</option>
                    ${f.agents.map(a => html`<option value=${a.name} ?selected=${f.agent === a.name} title=${a.description || ''}>${a.name}</option>`)}
                </select>
            </label>
        </div>
        <div class="field-check">
            <label><input type="checkbox" name="worktree" aria-describedby="worktree-help" .checked=${f.worktree}
                @change=${(e) => { f.worktree = e.target.checked; requestRender(); }}>In a new worktree</label>
            <span id="worktree-help" class="optional">its own checkout of the folder's git repository, on a new branch</span>
        </div>
        ${f.worktree ? html`<label class="field">
            <span class="field-label">Worktree name <span class="optional">optional</span></span>
            <input type="text" name="worktree-name" autocomplete="off" spellcheck="false" .value=${f.worktreeName}
                @input=${setField('worktreeName')} placeholder="Generated, e.g. brisk-otter">
        </label>` : nothing}
        ${f.error ? html`<p class="form-error" role="alert">${f.error}</p>` : nothing}
        <div class="form-actions">
            <button type="button" class="button" @click=${closeDialog}>Cancel</button>
            <button type="submit" class="button primary" ?disabled=${f.sending}>${f.sending ? 'Creating…' : 'Create session'}</button>
        </div>
    </form>`;
    return modal('new-session', 'New session', body);
}
