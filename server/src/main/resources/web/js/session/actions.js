// What the session view's buttons and commands do: send a prompt or a command, abort, undo, redo, revert, compact,
// rename, open a report. Each shows its outcome (or the server's error message) as a short notice above the prompt.
import {api, errorMessage} from '../api.js';
import {SESSION_ABORT, SESSION_COMMAND, SESSION_COMPACT, SESSION_PROMPT, SESSION_SHELL, SESSION_REDO, SESSION_REVERT, SESSION_REWIND, SESSION_UNDO, SESSION_UNREVERT, SESSION_UPDATE} from '../api-routes.js';
import {requestRender} from '../store.js';
import {REPORTS} from './reports.js';
import {toggleDiff} from './diff-panel.js';
import {openConnect} from '../connect.js';
import {goal} from './goal.js';

/**
 * A short notice above the prompt box: `info` goes after 8 s; an `error`, and a `notice` the user must not miss (the
 * model a session goes on with), stay until dismissed.
 */
export function flash(ui, text, kind = 'info') {
    ui.flash = {text, kind};
    clearTimeout(ui.flashTimer);
    if (kind === 'info') ui.flashTimer = setTimeout(() => { ui.flash = null; requestRender(); }, 8000);
    requestRender();
}

/** Runs one action, marking it under way (buttons disable) and showing its error. */
async function act(ui, name, work) {
    ui.acting = name;
    requestRender();
    try {
        return await work();
    } catch (e) {
        flash(ui, errorMessage(e), 'error');
        throw e;
    } finally {
        ui.acting = '';
        requestRender();
    }
}

/**
 * Sends a prompt with the model or agent picked for it; throws (after showing why) to keep the text in the box. While the
 * agent works, `delivery` says what it does: 'steer' (the running turn reads it at its next step) or 'queue' (after the turn).
 */
export async function submit(t, ui, text, files, delivery = 'steer') {
    const body = {parts: [{type: 'text', text}, ...files]};
    const session = t.session;
    if (ui.nextModel && ui.nextModel !== session.model) body.model = ui.nextModel;
    if (ui.nextAgent && ui.nextAgent !== session.agent) body.agent = ui.nextAgent;
    // the auto-approval switch, where the folder offers it: the server hears the mode with every message (DESIGN §31)
    if (ui.modes?.modes?.includes('auto')) body.mode = ui.auto ? 'auto' : 'default';
    const wasBusy = t.busy();
    // Enter while the agent works steers: the running turn reads it at its next step (DESIGN §22; Stop still stops);
    // Queue sends it after the turn
    if (wasBusy) body.delivery = delivery;
    ui.stick = true;
    try {
        const accepted = await api(SESSION_PROMPT, {params: {id: t.id}, body});
        ui.nextModel = '';
        ui.nextAgent = '';
        if (ui.flash?.kind === 'error') ui.flash = null;
        if (wasBusy && accepted?.messageId) ui.queuedTexts.set(accepted.messageId, text);
        // the session's own model cannot be used here (an imported session, a key gone): which model goes on, and why,
        // said once, as the terminal UI and `lathe run` say it (decision 382)
        if (accepted?.notice) flash(ui, accepted.notice, 'notice');
        // said once, and gone with the next notice or after a few seconds: it is no warning to keep
        else if (wasBusy && accepted?.queued) {
            flash(ui, delivery === 'queue' ? 'Queued: it runs after this turn.' : 'Steered: the running turn reads it at its next step.', 'info');
        }
    } catch (e) {
        flash(ui, errorMessage(e), 'error');
        throw e;
    }
}

/**
 * `!COMMAND` (DESIGN §27, as the terminal UI): the user's own shell command, run by the server in the session's
 * folder and sandbox; it and its output join the transcript through the session's events, and the next prompt's
 * request carries them. Not awaited by the box: a long command leaves it free.
 */
export function shell(t, ui, line) {
    ui.stick = true;
    api(SESSION_SHELL, {params: {id: t.id}, body: {command: line}}).catch((e) => flash(ui, `!${line}: ${errorMessage(e)}`, 'error'));
}

/** What the first character of a line does, as /help says it in the terminal UI too. */
export const PREFIXES = '!COMMAND runs COMMAND in your shell, its output joining the conversation · @PATH attaches a file · /NAME runs a command (// sends a message that begins with /)';

/** A slash command: the reports, pickers and /connect are the web UI's own, the rest run on the server. */
export async function command(t, ui, name, args) {
    if (REPORTS[name]) return openReport(t, ui, name);
    if (name === 'diff') {
        const refused = toggleDiff(t.id, args);
        if (refused) flash(ui, refused, 'error');
        return;
    }
    if (name === 'model' || name === 'agent') {
        ui.menuOpen = true;
        requestRender();
        requestAnimationFrame(() => document.querySelector(`.session-view select[data-picker="${name}"]`)?.focus());
        return;
    }
    if (name === 'connect') {
        // a new sign-in brings the plan's models: the pickers ask the server again
        openConnect(t.session.directory, args, () => { ui.pickersFor = ''; requestRender(); });
        return;
    }
    if (name === 'goal') return goal(t, args, (text, kind) => flash(ui, text, kind));
    if (name === 'help') return flash(ui, PREFIXES, 'notice');
    if (name === 'undo' || name === 'redo') return revertAction(t, ui, name);
    if (name === 'compact') return compact(t, ui);
    ui.stick = true;
    const result = await act(ui, 'command', () => api(SESSION_COMMAND, {params: {id: t.id}, body: {name, arguments: args}}));
    if (result?.revert) showReverted(t, ui, result.revert, name);
}

/** Stops the running turn. */
export function abort(t, ui) {
    act(ui, 'abort', () => api(SESSION_ABORT, {params: {id: t.id}})).catch(() => {});
}

/** `undo` (the last turn) or `redo` (what the last undo reverted). */
export async function revertAction(t, ui, which) {
    try {
        const result = await act(ui, which, () => api(which === 'undo' ? SESSION_UNDO : SESSION_REDO, {params: {id: t.id}}));
        showReverted(t, ui, result, which);
    } catch {
        // shown by act
    }
}

/** Hides `messageId` and everything after it, and puts the files back as they were before it. */
export async function revertTo(t, ui, messageId) {
    try {
        const result = await act(ui, 'revert', () => api(SESSION_REVERT, {params: {id: t.id}, body: {messageId}}));
        showReverted(t, ui, result, 'revert');
    } catch {
        // shown by act
    }
}

/**
 * Rewind to just before the prompt `messageId` (docs/rewind.md): `restore` is 'code', 'conversation', 'both' or
 * 'summarise' (the model's summary replaces the prompt and what followed; it takes a model request, so it may take a while). When
 * files changed outside the agent since then the server names them (409): the user is asked whether to restore them
 * too, else whether to keep them and rewind the rest; declining both changes nothing.
 */
export async function rewindTo(t, ui, messageId, restore, confirm) {
    const body = confirm === undefined ? {messageId, restore} : {messageId, restore, confirm};
    let result;
    if (restore === 'summarise') flash(ui, 'Summarising…', 'info');
    try {
        result = await api(SESSION_REWIND, {params: {id: t.id}, body});
    } catch (e) {
        const message = errorMessage(e);
        if (confirm === undefined && message.includes('changed outside the agent')) {
            const files = message.split('. Rewind again')[0];
            if (window.confirm(`${files}.\n\nRestore them too? Your changes to them are lost.`)) return rewindTo(t, ui, messageId, restore, true);
            if (window.confirm(`${files}.\n\nKeep them as they are and rewind the rest?`)) return rewindTo(t, ui, messageId, restore, false);
            flash(ui, 'Rewind cancelled; nothing changed.', 'info');
            return;
        }
        flash(ui, message, 'error');
        return;
    }
    if (result?.session) t.session = result.session;
    const said = [];
    if (restore === 'code' || restore === 'both') said.push(result.files.length ? `${result.files.length === 1 ? '1 file' : `${result.files.length} files`} put back (${result.files.join(', ')})` : 'no files to put back');
    if (result.kept.length) said.push(`kept ${result.kept.join(', ')}`);
    if (restore === 'summarise') said.push(`${result.rewound.length} messages summarised (still listed; the model reads the summary instead)`);
    else if (restore !== 'code') said.push(`${result.rewound.length} messages rewound (still listed; the model no longer reads them)`);
    flash(ui, `${restore === 'summarise' ? 'Summarised' : 'Rewound'}: ${said.join('; ')}.`, 'info');
    t.reloadMessages();
}

/** Shows the hidden messages again, with their file changes. */
export async function unrevert(t, ui) {
    try {
        const result = await act(ui, 'unrevert', () => api(SESSION_UNREVERT, {params: {id: t.id}}));
        showReverted(t, ui, result, 'unrevert');
    } catch {
        // shown by act
    }
}

function showReverted(t, ui, result, which) {
    if (result?.session) t.session = result.session;
    const files = result?.files ?? [];
    const verb = {undo: 'Undone', redo: 'Redone', revert: 'Reverted', unrevert: 'Restored'}[which] ?? 'Done';
    flash(ui, files.length ? `${verb}: ${files.length === 1 ? '1 file' : `${files.length} files`} put back (${files.join(', ')}).`
        : `${verb}. No files needed putting back.`, 'info');
    t.reloadMessages();
}

/** Summarises the conversation for the model now (the full history stays on screen). */
export async function compact(t, ui) {
    try {
        await act(ui, 'compact', () => api(SESSION_COMPACT, {params: {id: t.id}}));
        flash(ui, 'Compacted: the conversation so far is summarised for the model. The full history stays here.', 'info');
    } catch {
        // shown by act
    }
}

/** Renames the session (an empty or unchanged title does nothing). */
export async function rename(t, ui, value) {
    ui.renaming = false;
    const title = value.trim();
    if (!title || title === t.session.title) {
        requestRender();
        return;
    }
    try {
        t.session = await api(SESSION_UPDATE, {params: {id: t.id}, body: {title}});
    } catch (e) {
        flash(ui, errorMessage(e), 'error');
    }
    requestRender();
}

// ---- reports (/context, /cost, /cache, /changes) ----

/** Opens a report dialog and loads its data. */
export async function openReport(t, ui, kind) {
    const report = REPORTS[kind];
    ui.dialog = {kind, title: report.title, data: null, error: ''};
    requestRender();
    try {
        const data = await api(report.route, {params: {id: t.id}});
        if (ui.dialog?.kind === kind) ui.dialog.data = data;
    } catch (e) {
        if (ui.dialog?.kind === kind) ui.dialog.error = errorMessage(e);
    }
    requestRender();
}

/** Closes the report dialog. */
export function closeReport(ui) {
    if (!ui.dialog) return;
    ui.dialog = null;
    requestRender();
}
