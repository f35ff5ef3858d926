// The prompt box: Enter sends, Shift+Enter is a new line, it grows with its text. `@` completes project files (sent
// along as file parts, as the terminal UI does) and `/` at the start completes slash commands; arrows move in the
// list, Enter or Tab picks, Esc closes it; Esc otherwise stops a running turn. Pictures pasted or dropped in go along
// as image parts. A draft survives switching sessions.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {ref} from '/vendor/lit-html/directives/ref.js';
import {live} from '/vendor/lit-html/directives/live.js';
import {api} from '../api.js';
import {COMMANDS, FIND_FILES} from '../api-routes.js';
import {requestRender} from '../store.js';

/** Commands the web UI runs itself (the server's list has the rest). */
export const CLIENT_COMMANDS = [
    {name: 'context', description: 'Show what fills the context window', source: 'web'},
    {name: 'cost', description: 'Show the tokens and cost of this session', source: 'web'},
    {name: 'cache', description: "Show how well the provider's prompt cache works", source: 'web'},
    {name: 'changes', description: 'Show every file this session changed, as one diff', source: 'web'},
    {name: 'diff', description: 'The diff beside the transcript, live: /diff turn|session|uncommitted|branch (/diff again closes it)', source: 'web'},
    {name: 'model', description: 'Pick the model for the next message', source: 'web'},
    {name: 'agent', description: 'Pick the agent for the next message', source: 'web'},
    {name: 'connect', description: 'Sign in with a subscription: ChatGPT Plus/Pro or GitHub Copilot', source: 'web'},
    {name: 'goal', description: 'Run CMD after each turn and send its output back until it exits 0: /goal npm test (/goal off stops)', source: 'web'},
    {name: 'help', description: 'What !, @ and / at the start of a line do', source: 'web'},
];

const boxes = new Map();

function boxOf(sessionId) {
    let b = boxes.get(sessionId);
    if (!b) {
        b = {text: '', sending: false, mentioned: new Set(), images: [], menu: null, textarea: null, commands: null, timer: 0, seq: 0};
        // one callback for the box's lifetime, so lit does not call it again on every render (each call measures)
        b.attach = (el) => {
            if (!el) return;
            b.textarea = el;
            requestAnimationFrame(() => grow(el));
        };
        boxes.set(sessionId, b);
    }
    return b;
}

/** Puts text back into a session's box (a queued message the server withdrew), unless the user typed meanwhile. */
export function restoreDraft(sessionId, text) {
    const b = boxOf(sessionId);
    b.text = b.text.trim() ? `${text}\n\n${b.text}` : text;
    requestRender();
    requestAnimationFrame(() => { if (b.textarea) grow(b.textarea); });
}

/** Moves the focus into the prompt box of a session (after navigation, or a shortcut). */
export function focusPrompt(sessionId) {
    boxOf(sessionId).textarea?.focus();
}

/**
 * The box. `opts`: {sessionId, directory, placeholder, submit(text, fileParts, delivery) → Promise, command(name, args) → Promise,
 * shell(command): `!command`, queue}. `submit` and `command` throw an ApiError to keep the text in the box. With `queue` (the
 * agent is working) Enter steers the running turn and the Queue button or Alt+Enter sends the message after it (`delivery`
 * 'steer' or 'queue'), as the terminal UI's Enter and Tab do.
 */
export function promptBox(opts) {
    const b = boxOf(opts.sessionId);
    const menu = b.menu;
    const activeId = menu && menu.items.length ? `pc-${opts.sessionId}-${menu.index}` : '';
    return html`<div class="prompt">
        ${menu && menu.items.length ? html`<ul class="completions" role="listbox" id=${`pc-list-${opts.sessionId}`}
                aria-label=${menu.kind === 'file' ? 'Files' : 'Commands'}>
            ${menu.items.map((item, i) => html`<li role="option" id=${`pc-${opts.sessionId}-${i}`} aria-selected=${i === menu.index ? 'true' : 'false'}
                    class=${i === menu.index ? 'active' : ''} @mousedown=${(e) => { e.preventDefault(); pick(b, opts, i); }}>
                ${menu.kind === 'file' ? html`<span class="c-main">${item}</span>`
                    : html`<span class="c-main">/${item.name}</span><span class="c-desc">${item.description}</span>`}
            </li>`)}
        </ul>` : nothing}
        ${b.images.length ? html`<div class="prompt-images">${b.images.map((img, i) => html`<span class="prompt-image">
            <img src=${img.url} alt=${img.name}>
            <button type="button" class="icon-button" aria-label=${`Remove ${img.name}`} @click=${() => { b.images.splice(i, 1); requestRender(); }}>✕</button>
        </span>`)}</div>` : nothing}
        <div class="prompt-row" @dragover=${(e) => { if (hasFiles(e.dataTransfer)) e.preventDefault(); }}
            @drop=${(e) => { if (hasFiles(e.dataTransfer)) { e.preventDefault(); addImages(b, e.dataTransfer.files, opts); } }}>
            <textarea aria-label="Message" rows="1" placeholder=${opts.placeholder ?? 'Message  (@ file, / command)'}
                .value=${live(b.text)} ?disabled=${b.sending}
                aria-autocomplete="list" aria-controls=${menu && menu.items.length ? `pc-list-${opts.sessionId}` : nothing}
                aria-activedescendant=${activeId || nothing}
                ${ref(b.attach)}
                @input=${(e) => onInput(b, opts, e.target)}
                @keydown=${(e) => onKeyDown(b, opts, e)}
                @paste=${(e) => { if (e.clipboardData?.files?.length) { e.preventDefault(); addImages(b, e.clipboardData.files, opts); } }}
                @blur=${() => setTimeout(() => { if (b.menu) { b.menu = null; requestRender(); } }, 150)}></textarea>
            ${opts.queue ? html`<button type="button" class="button queue" aria-label="Queue" title="Queue: runs after this turn (Alt+Enter)"
                ?disabled=${b.sending || (!b.text.trim() && !b.images.length)} @click=${() => send(b, opts, 'queue')}>Queue</button>` : nothing}
            <button type="button" class="button primary send" aria-label=${opts.queue ? 'Steer' : 'Send'}
                title=${opts.queue ? 'Steer: the running turn reads it at its next step (Enter)' : 'Send (Enter)'} ?disabled=${b.sending || (!b.text.trim() && !b.images.length)}
                @click=${() => send(b, opts)}>${b.sending ? '…' : '↑'}</button>
        </div>
    </div>`;
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const MAX_IMAGE = 5 * 1024 * 1024;

function hasFiles(transfer) {
    return !!transfer && [...(transfer.types ?? [])].includes('Files');
}

/** Pasted or dropped pictures go along with the message as file parts (data: URLs the model sees as images). */
function addImages(b, files, opts) {
    for (const file of files) {
        if (!IMAGE_TYPES.includes(file.type)) {
            opts.notify?.(`${file.name}: only PNG, JPEG, GIF and WebP images can be attached.`);
            continue;
        }
        if (file.size > MAX_IMAGE) {
            opts.notify?.(`${file.name} is larger than 5 MB.`);
            continue;
        }
        const reader = new FileReader();
        reader.onload = () => {
            b.images.push({name: file.name || 'pasted image', mime: file.type, url: String(reader.result)});
            requestRender();
        };
        reader.readAsDataURL(file);
    }
}

function grow(el) {
    // grow with the text up to the CSS max-height, then scroll inside
    el.style.height = 'auto';
    el.style.height = `${el.scrollHeight + 2}px`;
}

function onInput(b, opts, el) {
    b.text = el.value;
    grow(el);
    updateMenu(b, opts, el);
    requestRender();
}

/** What the caret is completing: a `/command` at the very start, or an `@file` word. */
function completing(el) {
    const before = el.value.slice(0, el.selectionStart);
    const command = /^\/(\S*)$/.exec(before);
    if (command) return {kind: 'command', query: command[1], start: 0};
    const file = /(^|\s)@([^\s@]*)$/.exec(before);
    if (file) return {kind: 'file', query: file[2], start: before.length - file[2].length - 1};
    return null;
}

function updateMenu(b, opts, el) {
    const what = completing(el);
    // every answer below is for the text as it was: one that arrives after the text changed is dropped, or a stale
    // menu would open over "/connect openai --device" and Enter would pick from it instead of sending
    const seq = ++b.seq;
    if (!what) {
        clearTimeout(b.timer);
        b.menu = null;
        return;
    }
    if (what.kind === 'command') {
        loadCommands(b, opts).then((all) => {
            if (seq !== b.seq) return;
            const q = what.query.toLowerCase();
            const items = all.filter((c) => c.name.toLowerCase().startsWith(q))
                .concat(all.filter((c) => !c.name.toLowerCase().startsWith(q) && c.name.toLowerCase().includes(q))).slice(0, 12);
            b.menu = items.length ? {...what, items, index: 0} : null;
            requestRender();
        });
        return;
    }
    // files: ask the server, debounced, and drop answers to older queries
    clearTimeout(b.timer);
    b.timer = setTimeout(async () => {
        try {
            const files = await api(FIND_FILES, {query: {query: what.query, limit: 12}, directory: opts.directory});
            if (seq !== b.seq) return;
            b.menu = files && files.length ? {...what, items: files.slice(0, 12), index: 0} : null;
        } catch {
            b.menu = null;
        }
        requestRender();
    }, 120);
}

/** The slash commands, asked of the server once per box (keys typed while it answers share the one request). */
function loadCommands(b, opts) {
    if (!b.commands) {
        b.commands = api(COMMANDS, {directory: opts.directory})
            .then((server) => [...CLIENT_COMMANDS, ...(server ?? []).filter((c) => !CLIENT_COMMANDS.some((w) => w.name === c.name))])
            .catch(() => {
                b.commands = null; // asked again next time
                return CLIENT_COMMANDS;
            });
    }
    return b.commands;
}

function pick(b, opts, index) {
    const menu = b.menu;
    const el = b.textarea;
    if (!menu || !el) return;
    const item = menu.items[index];
    const caret = el.selectionStart;
    let insert;
    if (menu.kind === 'file') {
        insert = `@${item} `;
        b.mentioned.add(item);
    } else {
        insert = `/${item.name} `;
    }
    b.text = el.value.slice(0, menu.start) + insert + el.value.slice(caret);
    b.menu = null;
    el.value = b.text;
    const at = menu.start + insert.length;
    el.setSelectionRange(at, at);
    el.focus();
    grow(el);
    requestRender();
}

function onKeyDown(b, opts, e) {
    const menu = b.menu;
    if (menu && menu.items.length) {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const n = menu.items.length;
            menu.index = (menu.index + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
            requestRender();
            return;
        }
        if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
            e.preventDefault();
            const item = menu.items[menu.index];
            // Enter on a command already typed in full runs it, as in the terminal UI: picking it again would only add a space
            if (e.key === 'Enter' && menu.kind !== 'file' && b.textarea?.value.trim() === `/${item.name}`) {
                b.menu = null;
                send(b, opts, opts.queue && e.altKey ? 'queue' : 'steer');
                return;
            }
            pick(b, opts, menu.index);
            return;
        }
        if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            b.menu = null;
            requestRender();
            return;
        }
    }
    // Esc stops a running turn, as in the terminal UI (with nothing running, it leaves the box: shortcuts.js)
    if (e.key === 'Escape' && opts.escape?.()) {
        e.preventDefault();
        return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        send(b, opts, opts.queue && e.altKey ? 'queue' : 'steer');
    }
}

async function send(b, opts, delivery = 'steer') {
    const text = b.text.trim();
    if ((!text && !b.images.length) || b.sending) return;
    b.sending = true;
    b.menu = null;
    requestRender();
    try {
        // "/name args" runs a known command; any other text starting with "/" (a path) is a message
        const command = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
        const known = command && (await loadCommands(b, opts)).some((c) => c.name === command[1]);
        // "!cmd" runs cmd as the user's own shell command (DESIGN §27); "!" alone is a message
        if (text.startsWith('!') && text.slice(1).trim() && opts.shell) {
            opts.shell(text.slice(1).trim());
        } else if (known) {
            await opts.command(command[1], (command[2] ?? '').trim());
        } else {
            const files = [...b.mentioned].filter((path) => text.includes(`@${path}`)).map((path) => ({
                type: 'file', mime: 'text/plain', name: path,
                url: `file://${path.startsWith('/') ? path : `${opts.directory.replace(/\/$/, '')}/${path}`}`,
            }));
            const images = b.images.map((img) => ({type: 'file', mime: img.mime, name: img.name, url: img.url}));
            await opts.submit(text, [...files, ...images], delivery);
        }
        b.text = '';
        b.mentioned.clear();
        b.images = [];
    } catch {
        // the caller showed why; the text stays to send again
    } finally {
        b.sending = false;
        requestRender();
        // the box was disabled while sending, which dropped its focus
        requestAnimationFrame(() => {
            if (b.textarea) {
                grow(b.textarea);
                b.textarea.focus();
            }
        });
    }
}
