// The session's background commands (DESIGN §32): each with its state, pid and last lines, live from the process.*
// events; its owner types a line into one (the very process the model reads) or ends it. A program's output is text:
// lit-html puts it in text nodes, never markup, and escape sequences show as the characters they are.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from '../api.js';
import {SESSION_PROCESS_INPUT, SESSION_PROCESS_KILL} from '../api-routes.js';
import {mayChange, requestRender} from '../store.js';

const LAST_LINES = 10;
// a program's control characters (an escape sequence's ESC, a bell) as their pictures, as the terminal clients show them
const visible = (text) => String(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g,
    (c) => (c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));

/** The panel, or nothing when the session never started a background command. */
export function processesPanel(t, id) {
    const list = t.processes ?? [];
    if (!list.length) return nothing;
    const owner = mayChange(id);
    return html`<aside class="processes" aria-label="Processes">
        <details open>
            <summary>Processes <span class="muted">${list.filter((p) => p.state === 'running').length}/${list.length} running</span></summary>
            <ul>${list.map((p) => html`<li class="process process-${p.state}" aria-label=${`Process ${p.id}`}>
                <div><code>${visible(p.command)}</code></div>
                <div class="muted">${p.id} · ${p.state}${p.exitCode !== undefined && p.exitCode !== null ? ` (${p.exitCode})` : ''} · pid ${p.pid}</div>
                <pre class="process-lines" aria-label=${`Last lines of ${p.id}`}>${visible((p.lastLines ?? []).join('\n'))}</pre>
                ${owner && p.state === 'running' ? html`<form class="process-input" @submit=${(e) => send(e, t, p)}>
                    <input type="text" name="line" aria-label=${`Type into ${p.id}`} placeholder="a line for its input" autocomplete="off">
                    <button type="submit" class="button">Send</button>
                    <button type="button" class="button" @click=${() => kill(t, p)}>Kill</button>
                </form>` : nothing}
                ${p.error ? html`<div class="flash flash-error" role="alert">${p.error}</div>` : nothing}
            </li>`)}</ul>
        </details>
    </aside>`;
}

/** Folds a process.* event into the list held by the transcript. */
export function applyProcessEvent(t, type, data) {
    const list = t.processes ?? (t.processes = []);
    if (type === 'process.output') {
        const p = list.find((x) => x.id === data.processId);
        if (!p) return;
        const lines = [...(p.lastLines ?? []), ...String(data.text ?? '').split('\n').filter((l) => l.length)];
        p.lastLines = lines.slice(-LAST_LINES);
    } else {
        const at = list.findIndex((x) => x.id === data.process.id);
        if (at < 0) list.push(data.process);
        else list[at] = {...list[at], ...data.process};
    }
    requestRender();
}

async function send(e, t, p) {
    e.preventDefault();
    const input = e.target.elements.line;
    try {
        await api(SESSION_PROCESS_INPUT, {params: {id: t.id, processId: p.id}, body: {text: input.value + '\n'}});
        input.value = '';
        p.error = '';
    } catch (err) {
        p.error = errorMessage(err);
    }
    requestRender();
}

async function kill(t, p) {
    try {
        await api(SESSION_PROCESS_KILL, {params: {id: t.id, processId: p.id}});
        p.error = '';
    } catch (err) {
        p.error = errorMessage(err);
    }
    requestRender();
}
