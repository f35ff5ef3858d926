// Answering what the agents ask, in place: a permission ask ("may I run/edit this?") and a tool's questions.
// The same cards show in the inbox and, through W2's session view, above that session's prompt box.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {api, errorMessage} from './api.js';
import {PERMISSION_REPLY, QUESTION_REPLY} from './api-routes.js';
import {forgetAsk, mayChange, ownerOf, requestRender, state} from './store.js';
import {sessionHref} from './route.js';
import {folderName, fullTime, relativeTime} from './format.js';
import {diffView} from './session/diff.js';

/**
 * No click or key answers an ask in its first moment (issue 42: an answer meant for something else, or a double
 * click, approved a command before it could be read). Measured from when its card was first drawn.
 */
export const ARMING_MS = 500;
/** id → when its card was first drawn (performance.now()). */
const firstShown = new Map();

function shownSince(id) {
    if (!firstShown.has(id)) {
        firstShown.set(id, performance.now());
        // drawn again once armed: the buttons lose their "just appeared" look
        setTimeout(requestRender, ARMING_MS + 20);
    }
    return performance.now() - firstShown.get(id);
}

/** Whether the ask may be answered now; if not, says why on its card. */
function armed(id) {
    if (shownSince(id) >= ARMING_MS) return true;
    progress.set(id, {sending: false, error: null, held: 'It just appeared: read it, then answer again.'});
    requestRender();
    return false;
}

/** id → {sending: bool, error: string|null} while a reply is on its way or after it failed. */
const progress = new Map();

function progressOf(id) {
    return progress.get(id) || {sending: false, error: null};
}

async function send(kind, id, route, body) {
    if (!armed(id)) return;
    // answering from the keyboard goes on with the next ask: remember it before this card goes away (and before
    // its buttons are disabled while sending, which takes their focus)
    const cards = [...document.querySelectorAll('.ask-card')];
    const here = cards.findIndex(card => card.dataset.ask === id);
    const next = here >= 0 ? (cards[here + 1] || cards[here - 1]) : null;
    const hadFocus = here >= 0 && cards[here].contains(document.activeElement);
    progress.set(id, {sending: true, error: null});
    requestRender();
    try {
        await api(route, {params: {id}, body});
        progress.delete(id);
        forgetAsk(kind, id);
        if (hadFocus && next) {
            requestAnimationFrame(() => requestAnimationFrame(() => {
                const target = next.isConnected && next.querySelector('button:not([disabled]), input');
                if (target) target.focus();
            }));
        }
    } catch (e) {
        progress.set(id, {sending: false, error: errorMessage(e)});
        requestRender();
    }
}

/** The session title and project an ask came from, linked; the inbox shows it, the session view does not need it. */
function origin(sessionId, createdAt) {
    const entry = state.sessions.get(sessionId);
    const title = entry ? entry.session.title : 'Session ' + sessionId;
    const project = entry ? folderName(entry.session.directory) : '';
    return html`<div class="ask-origin">
        <a href=${sessionHref(sessionId)} class="ask-session">${title}</a>
        ${project ? html`<span class="ask-project" title=${entry.session.directory}>${project}</span>` : nothing}
        <time class="ask-time" datetime=${new Date(createdAt).toISOString()} title=${fullTime(createdAt)}>${relativeTime(createdAt)}</time>
    </div>`;
}

/**
 * Which subagent asks (issue 56): a child session's ask carries its title and agent, so two children's asks are told
 * apart from the parent's page and the inbox. Text only: lit-html never reads it as markup.
 */
function askingChild(request) {
    const child = request.child;
    if (!child) return nothing;
    return html`<p class="ask-child" data-child=${request.sessionId}>Child <a href=${sessionHref(request.sessionId)}><strong>${child.title}</strong></a>
        (${child.agent}) asks</p>`;
}

function display(request) {
    const d = request.display;
    if (d && d.type === 'file_change' && d.diff) return html`<div class="ask-diff">${diffView(d.diff)}</div>`;
    if (d && d.type === 'command_run' && d.command) return html`<pre class="ask-command"><code>${d.command}</code></pre>`;
    if (d && d.type === 'web_page' && d.url) return html`<p class="ask-url"><code>${d.url}</code></p>`;
    if (request.metadata && request.metadata.diff) return html`<div class="ask-diff">${diffView(request.metadata.diff)}</div>`;
    return nothing;
}

/** What each answer does to a spend limit; the buttons keep the names every ask has (DESIGN §18). */
function budgetNote(metadata) {
    const raise = metadata.raise ? `gives ${metadata.raise}` : "raises the limit once";
    return html`<p class="ask-always">“Allow once” ${raise}; “Always allow” lifts this limit for the session; “Reject” stops here.</p>`;
}

function alwaysNote(request) {
    const rules = request.always || [];
    if (!rules.length) return nothing;
    const scope = request.alwaysScope === 'session'
        ? 'in this session, until the server restarts'
        : 'in every session of this project';
    // "*" is every call of the kind; say so in words rather than as a bare pattern
    const what = rules.map((r, i) => html`${i ? ', ' : ''}${r === '*'
        ? html`<strong>every ${request.permission}</strong>`
        : html`${request.permission} <code>${r}</code>`}`);
    return html`<p class="ask-always">“Always allow” allows ${what} ${scope}.</p>`;
}

/**
 * A permission ask with its buttons "Allow once", "Always allow" and "Reject" (the optional message goes to the
 * model with the rejection). `withOrigin` adds the session's title and project (the inbox).
 */
export function permissionCard(request, {withOrigin = false} = {}) {
    const {sending, error, held} = progressOf(request.id);
    const arming = shownSince(request.id) < ARMING_MS;
    const reply = (answer) => (event) => {
        const card = event.target.closest('.ask-card');
        const input = card && card.querySelector('input[name="reject-message"]');
        const message = answer === 'reject' && input && input.value.trim() ? input.value.trim() : undefined;
        send('permission', request.id, PERMISSION_REPLY, message ? {reply: answer, message} : {reply: answer});
    };
    // an edit's diff already names its files
    const shownByDiff = request.display && request.display.type === 'file_change' ? new Set(request.display.files || []) : new Set();
    const patterns = (request.patterns || []).filter(p => p && p !== request.title && !shownByDiff.has(p));
    // a spend limit's ask (decision 119): once raises the limit, always lifts it for the session, reject stops
    const budget = request.permission === 'budget' && request.metadata;
    // "always" only where it remembers something: a line no rule covers safely (python3 -c '…') is once or reject (issue 82)
    const remembers = budget || request.alwaysScope === 'session' || (request.always || []).length > 0;
    return html`<article class=${'ask-card' + (arming ? ' arming' : '')} data-ask=${request.id} data-kind="permission" aria-label=${'Permission ask: ' + (request.title || request.permission)}>
        ${withOrigin ? origin(request.sessionId, request.createdAt) : nothing}
        ${askingChild(request)}
        <div class="ask-head">
            <span class="ask-kind">${request.permission}</span>
            <h3 class="ask-title">${request.title || request.permission}</h3>
        </div>
        ${patterns.length ? html`<p class="ask-patterns">${patterns.map(p => html`<code>${p}</code> `)}</p>` : nothing}
        ${display(request)}
        ${!mayChange(request.sessionId) ? nothing : budget ? budgetNote(request.metadata) : alwaysNote(request)}
        ${!mayChange(request.sessionId) ? watchOnly(request.sessionId) : html`<div class="ask-actions">
            <button type="button" class="button primary" ?disabled=${sending} @click=${reply('once')}>Allow once</button>
            ${remembers ? html`<button type="button" class="button" ?disabled=${sending} @click=${reply('always')}>Always allow</button>` : nothing}
            <span class="ask-reject">
                <input type="text" name="reject-message" aria-label="Message with the rejection (optional)"
                    placeholder="Why not? (optional)" ?disabled=${sending}
                    @keydown=${(e) => { if (e.key === 'Enter') { e.preventDefault(); reply('reject')(e); } }}>
                <button type="button" class="button danger" ?disabled=${sending} @click=${reply('reject')}>Reject</button>
            </span>
        </div>`}
        ${heldNote(held)}
        ${error ? html`<p class="ask-error" role="alert">${error}</p>` : nothing}
    </article>`;
}

/**
 * In place of the answers, on an ask of someone else's session (a team server, DESIGN §20): everyone watches, only
 * its owner or an admin answers, so no button is offered that the server would refuse.
 */
function watchOnly(sessionId) {
    const owner = ownerOf(sessionId);
    return html`<p class="ask-watch-only">${owner
        ? html`Only <strong>${owner}</strong> (the session's owner) or an admin can answer this.`
        : 'Only an admin can answer this: the session has no owner.'}
        You are signed in as ${state.me.name}.</p>`;
}

function heldNote(held) {
    return held ? html`<p class="ask-held" role="status">${held}</p>` : nothing;
}

function answersOf(form, question) {
    return question.questions.map((q, i) => {
        const chosen = [...form.querySelectorAll(`input[name="q${i}"]:checked`)].map(input => input.value);
        const other = form.querySelector(`[name="q${i}-other"]`);
        const text = other ? other.value.trim() : '';
        if (text) {
            if (q.multiple || !q.options.length) chosen.push(text);
            else return [text];
        }
        return chosen;
    });
}

/** A tool's questions, answerable with their options and free text, or dismissed. */
export function questionCard(question, {withOrigin = false} = {}) {
    const {sending, error, held} = progressOf(question.id);
    const arming = shownSince(question.id) < ARMING_MS;
    const submit = (event) => {
        event.preventDefault();
        send('question', question.id, QUESTION_REPLY, {answers: answersOf(event.target, question)});
    };
    const dismiss = () => send('question', question.id, QUESTION_REPLY, {rejection: 'The user dismissed the question.'});
    const first = question.questions[0] || {question: ''};
    if (!mayChange(question.sessionId)) {
        return html`<article class="ask-card" data-ask=${question.id} data-kind="question" aria-label=${'Question: ' + first.question}>
            ${withOrigin ? origin(question.sessionId, question.createdAt) : nothing}
            ${askingChild(question)}
            ${question.questions.map(q => html`<div class="ask-head"><span class="ask-kind">question</span><span class="ask-title">${q.question}</span></div>
                ${q.options.length ? html`<ul class="ask-option-list">${q.options.map(o => html`<li>${o}</li>`)}</ul>` : nothing}`)}
            ${watchOnly(question.sessionId)}
        </article>`;
    }
    return html`<article class=${'ask-card' + (arming ? ' arming' : '')} data-ask=${question.id} data-kind="question" aria-label=${'Question: ' + first.question}>
        ${withOrigin ? origin(question.sessionId, question.createdAt) : nothing}
        ${askingChild(question)}
        <form class="ask-form" @submit=${submit}>
            ${question.questions.map((q, i) => html`<fieldset class="ask-question" ?disabled=${sending}>
                <legend class="ask-head"><span class="ask-kind">question</span><span class="ask-title">${q.question}</span></legend>
                ${q.options.length ? html`<div class="ask-options">
                    ${q.options.map(option => html`<label class="ask-option">
                        <input type=${q.multiple ? 'checkbox' : 'radio'} name=${'q' + i} value=${option}>
                        <span>${option}</span></label>`)}
                    </div>
                    <input type="text" class="ask-other" name=${'q' + i + '-other'} aria-label=${'Other answer to: ' + q.question}
                        placeholder="Or type your own answer">`
                : html`<textarea class="ask-other" name=${'q' + i + '-other'} rows="2" aria-label=${'Answer to: ' + q.question}
                        placeholder="Your answer"></textarea>`}
            </fieldset>`)}
            <div class="ask-actions">
                <button type="submit" class="button primary" ?disabled=${sending}>Answer</button>
                <button type="button" class="button" ?disabled=${sending} @click=${dismiss}>Dismiss</button>
            </div>
        </form>
        ${heldNote(held)}
        ${error ? html`<p class="ask-error" role="alert">${error}</p>` : nothing}
    </article>`;
}
