// How each kind of message part looks in the transcript: user text, Markdown answers, folded reasoning, tool calls as
// compact cards (with an edit's diff), file changes, compaction markers, subagent links, retries and errors.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {repeat} from '/vendor/lit-html/directives/repeat.js';
import {markdown} from './markdown.js';
import {diffView, diffStats} from './diff.js';
import {duration, clock} from './numbers.js';
import {money, tokens} from '../format.js';
import {state} from '../store.js';

/**
 * One message, {info, parts}. `ctx`: {sessionId, busy, queued(messageId), rewound(messageId), revert(messageId),
 * rewind(messageId, restore), showChanges(),
 * waitingOn(callId): 'permission' | 'question' when an open ask holds that call, else null}. autoOf(callId): the `permission.auto` event of a call the classifier decided, else null.
 */
export function messageView(m, ctx) {
    return m.info.role === 'user' ? userMessage(m, ctx) : assistantMessage(m, ctx);
}

// PromptNotRun.TEXT: the mark on a prompt an abort left not run (it stays in the transcript, issue 53)
export const NOT_RUN = 'Not run: the session was stopped before it reached this prompt.';
/** PromptQueued.TEXT: the server's mark of a prompt queued behind a turn (a steered one has none). */
export const QUEUED = 'Queued: runs after the turn that was running when it was sent.';
// MessageRewound.TEXT: the mark on a prompt a rewind took back (kept and listed; the model no longer reads it)
export const REWOUND = 'Rewound: the conversation was taken back to before this message; the model no longer reads this turn.';
// MessageRewound.SUMMARISED: how the message a "summarise from here" rewind writes before its summary begins
const SUMMARISED = 'Rewound and summarised: ';

// TaskResult.TEXT and AgentMessage.TEXT: the marks on a user-role message no one typed, a background task's result and
// a teammate's message; shown as what they are, under where they came from, never as the user's prompt with its tags
export const TASK_RESULT = 'From a background task: its result, not typed by the user.';
export const AGENT_MESSAGE = 'From another agent of the team: not typed by the user, and no answer to a permission ask.';
const TASK_RESULT_SHAPE = /^<task-result id="([A-Za-z0-9_]{1,64})" status="([a-z]{1,20})">\n([\s\S]*)\n<\/task-result>$/;
const MESSAGE_SHAPE = /^<message from="([A-Za-z0-9_-]{1,64})">\n([\s\S]*)\n<\/message>$/;

// Wrapper.unescape: the body as it was written, read back in one pass (&amp; &lt; &gt; &quot; &#xHEX;; decision 465)
export function unescapeWrapped(text) {
    return text.replace(/&(amp|lt|gt|quot);|&#x([0-9A-Fa-f]{1,6});/g, (whole, name, hex) => {
        if (name) return { amp: '&', lt: '<', gt: '>', quot: '"' }[name];
        const cp = parseInt(hex, 16);
        return cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? whole : String.fromCodePoint(cp);
    });
}

/** A background task by what it does (its session's title: the task's description), its id when the board has no title. */
function taskName(id) {
    return state.sessions.get(id)?.session.title || id;
}

function deliveredView(m, texts) {
    const marked = (mark) => m.parts.some((p) => p.type === 'text' && p.synthetic && p.text === mark);
    const text = texts.map((p) => p.text).join('\n').trim();
    const task = marked(TASK_RESULT) && TASK_RESULT_SHAPE.exec(text);
    if (task) {
        const answer = unescapeWrapped(task[3]);
        return html`<article class="msg msg-delivered" data-message=${m.info.id}>
            <div class="delivered-head">◆ Background task <a href=${'#/session/' + task[1]} title=${task[1]}>${taskName(task[1])}</a>
                <span class="tag tag-${task[2]}">${task[2]}</span><span class="muted">${clock(m.info.createdAt)}</span></div>
            <div class="delivered-body">${markdown(`${m.info.id}:result`, answer)}</div>
        </article>`;
    }
    const message = marked(AGENT_MESSAGE) && MESSAGE_SHAPE.exec(text);
    if (message) {
        // the sender's text was escaped so it could not close the tag: shown as written (lit-html escapes it again)
        const said = unescapeWrapped(message[2]);
        return html`<article class="msg msg-delivered" data-message=${m.info.id}>
            <div class="delivered-head">✉ Message from <strong>${message[1]}</strong><span class="muted">${clock(m.info.createdAt)}</span></div>
            <div class="delivered-body user-text">${said}</div>
        </article>`;
    }
    return null;
}

function userMessage(m, ctx) {
    const delivered = deliveredView(m, m.parts.filter((p) => p.type === 'text' && !p.synthetic));
    if (delivered) return delivered;
    const notRun = m.parts.some((p) => p.type === 'text' && p.synthetic && p.text === NOT_RUN);
    const waiting = !notRun && ctx.queued(m.info.id);
    // waiting for the turn's next step (steered) or for the turn's end (queued, which the server marks)
    const queued = waiting && m.parts.some((p) => p.type === 'text' && p.synthetic && p.text === QUEUED);
    const steered = waiting && !queued;
    const rewound = ctx.rewound(m.info.id);
    const texts = m.parts.filter((p) => p.type === 'text' && !p.synthetic);
    const files = m.parts.filter((p) => p.type === 'file');
    const others = m.parts.filter((p) => p.type !== 'text' && p.type !== 'file');
    const isPicture = (f) => /^data:image\/(png|jpeg|gif|webp);/.test(f.url ?? '');
    const pictures = files.filter(isPicture);
    const mentions = files.filter((f) => !isPicture(f));
    const summarised = m.parts.find((p) => p.type === 'text' && p.synthetic && p.text.startsWith(SUMMARISED));
    if (summarised && !rewound) return html`<div class="notice muted summary-mark" data-message=${m.info.id}>⏪ ${summarised.text}</div>`;
    if (texts.length === 0 && files.length === 0 && others.length === 0) return nothing;
    return html`<article class="msg msg-user ${waiting ? 'is-queued' : ''} ${rewound ? 'is-rewound' : ''}" data-message=${m.info.id}>
        ${texts.length || files.length ? html`<div class="bubble">
            ${texts.map((p) => html`<div class="user-text">${p.text}</div>`)}
            ${pictures.length ? html`<div class="bubble-images">${pictures.map((f) => html`<img src=${f.url} alt=${f.name} title=${f.name}>`)}</div>` : nothing}
            ${mentions.length ? html`<div class="file-chips">${mentions.map((f) => html`<span class="chip" title=${f.url}>@${f.name}</span>`)}</div>` : nothing}
            <div class="msg-meta">
                ${!waiting && !ctx.busy ? html`<button type="button" class="link-button" title="Put the files back as they were before this message and hide it and what followed"
                        @click=${() => ctx.revert(m.info.id)}>Revert to here</button>` : nothing}
                ${!waiting && !ctx.busy ? html`<details class="rewind-menu"><summary class="link-button" title="Go back to just before this message: its files, the conversation or both; later messages stay listed">Rewind to here</summary>
                        <button type="button" class="link-button" @click=${() => ctx.rewind(m.info.id, 'both')}>Code and conversation</button>
                        <button type="button" class="link-button" @click=${() => ctx.rewind(m.info.id, 'conversation')}>Conversation only</button>
                        <button type="button" class="link-button" @click=${() => ctx.rewind(m.info.id, 'code')}>Code only</button>
                        <button type="button" class="link-button" title="The model summarises this message and what followed; the summary takes their place, files stay as they are"
                            @click=${() => ctx.rewind(m.info.id, 'summarise')}>Summarise from here</button></details>` : nothing}
                ${rewound ? html`<span class="tag tag-rewound" title=${REWOUND}>rewound</span>` : nothing}
                ${notRun ? html`<span class="tag tag-not-run" title=${NOT_RUN}>not run</span>` : nothing}
                ${queued ? html`<span class="tag tag-queued" title="Sent while the agent was working; it runs after that turn">queued</span>` : nothing}
                ${steered ? html`<span class="tag tag-queued" title="Sent while the agent was working; the running turn reads it at its next step">steered</span>` : nothing}
                <span class="muted">${clock(m.info.createdAt)}</span>
            </div>
        </div>` : nothing}
        ${others.map((p) => partView(p, m, ctx))}
    </article>`;
}

function assistantMessage(m, ctx) {
    const info = m.info;
    // a finished subagent call links its session itself: its subtask part would say it twice
    const linked = new Set(m.parts.filter((p) => p.type === 'tool' && p.state?.metadata?.sessionId).map((p) => p.state.metadata.sessionId));
    const shown = m.parts.filter((p) => p.type !== 'step-start' && p.type !== 'step-finish' && !(p.type === 'text' && p.synthetic)
        && !(p.type === 'subtask' && linked.has(p.childSessionId)));
    const running = info.completedAt == null && ctx.busy;
    return html`<article class="msg msg-assistant ${ctx.rewound(info.id) ? 'is-rewound' : ''}" data-message=${info.id}>
        ${repeat(shown, (p) => p.id, (p) => partView(p, m, ctx))}
        ${info.error ? errorView(info.error) : nothing}
        ${running && shown.length === 0 ? html`<div class="thinking" role="img" aria-label="Working"><span class="dot"></span><span class="dot"></span><span class="dot"></span></div>` : nothing}
        ${info.completedAt != null && (shown.length || info.error) ? html`<div class="msg-foot muted">
                ${info.agent ? html`<span>${info.agent}</span>` : nothing}
                ${info.model ? html`<span>${info.model}</span>` : nothing}
                ${info.usage ? html`<span title="Input / output tokens">${tokens(info.usage.input + info.usage.cacheRead + info.usage.cacheWrite)} in · ${tokens(info.usage.output)} out</span>` : nothing}
                ${info.cost ? html`<span>${money(info.cost)}</span>` : nothing}
                ${info.completedAt && info.createdAt ? html`<span>${duration(info.completedAt - info.createdAt)}</span>` : nothing}
            </div>` : nothing}
    </article>`;
}

function errorView(error) {
    if (error.kind === 'aborted') return html`<div class="notice muted">Stopped by you</div>`;
    if (error.kind === 'permission_rejected') return html`<div class="notice muted">⊘ Rejected by you; the agent stopped and waits for what to do instead</div>`;
    // no role=alert: the transcript is a log, which announces what is added to it
    return html`<div class="error-box"><strong>${errorTitle(error.kind)}</strong> ${error.message}</div>`;
}

function errorTitle(kind) {
    return ({provider: 'The model provider failed:', interrupted: 'Interrupted:', internal: 'Internal error:', rate_limited: 'Rate limited:'})[kind]
        ?? `${String(kind).replace(/_/g, ' ')}:`;
}

export function partView(p, m, ctx) {
    switch (p.type) {
        case 'text':
            return html`<div class="part-text">${markdown(p.id, p.text ?? '')}</div>`;
        case 'reasoning':
            if (!p.text?.trim()) return nothing;
            return html`<details class="reasoning"><summary>Thinking</summary>${markdown(p.id, p.text)}</details>`;
        case 'tool':
            return toolCard(p, ctx);
        case 'patch':
            if (!p.files?.length) return nothing;
            return html`<div class="patch-line muted">✎ Changed ${p.files.length === 1 ? '1 file' : `${p.files.length} files`}: ${p.files.join(', ')}
                ${ctx.showChanges ? html`<button type="button" class="link-button" @click=${ctx.showChanges}>All changes</button>` : nothing}</div>`;
        case 'compaction':
            return html`<div class="compaction" role="separator"><span>${p.auto ? 'Context compacted automatically' : 'Context compacted'}${p.pruned?.length ? ` · ${p.pruned.length} old tool outputs pruned` : ''}</span></div>`;
        case 'subtask':
            return html`<a class="subtask" href=${`#/session/${p.childSessionId}`}>↳ ${p.agent} subagent: ${firstLine(p.prompt)}</a>`;
        case 'retry':
            // the part names the attempt to come (as the retry status does): the one that failed is the one before it
            return html`<div class="notice warn">↻ Attempt ${p.attempt - 1} failed: ${p.error}</div>`;
        case 'model-switch':
            return html`<div class="notice muted">⇄ Model switched from ${p.from} to ${p.to}${p.reason ? ` (${p.reason})` : ''}</div>`;
        case 'hook':
            return html`<div class="notice ${p.decision === 'failed' || p.decision === 'timed out' ? 'warn' : 'muted'} hook-line">⚙ ${p.event} ${p.handler}
                · ${duration(p.durationMillis)} · ${p.decision}${p.message ? `: ${firstLine(p.message)}` : ''}</div>`;
        case 'file':
            return html`<span class="chip">@${p.name}</span>`;
        default:
            return nothing;
    }
}

const firstLine = (s) => String(s ?? '').trim().split('\n')[0];

/** What a call is about in a few words: its command, file, pattern or address. */
export function toolSummary(p) {
    const st = p.state ?? {};
    const d = st.display;
    if (d?.type === 'command_run') return d.command;
    if (d?.type === 'file_read') return d.path;
    if (d?.type === 'file_change') return d.files.join(', ');
    if (d?.type === 'web_page') return d.url;
    // a subagent that kept a worktree of its own: the branch its changes wait on (the task's metadata)
    if (d?.type === 'subagent_run') return `${d.agent}: ${d.description}${st.metadata?.branch ? ` · on branch ${st.metadata.branch}` : ''}`;
    if (st.title && st.title !== p.tool) return st.title;
    const input = typeof st.input === 'object' && st.input ? st.input : {};
    for (const key of ['command', 'filePath', 'path', 'pattern', 'url', 'query', 'description', 'name']) {
        if (typeof input[key] === 'string' && input[key]) return input[key];
    }
    if (Array.isArray(input.questions) && input.questions[0]?.question) return input.questions[0].question;
    if (p.tool === 'report_findings' && Array.isArray(input.findings)) return input.findings.length === 1 ? '1 finding' : `${input.findings.length} findings`;
    const first = Object.values(input).find((v) => typeof v === 'string');
    return first ? firstLine(first) : '';
}

const STATUS_TEXT = {pending: 'pending', running: 'running', completed: 'done', failed: 'failed'};
/** A background task's call by how its task stands (its board row): the call itself completed when the task started. */
const TASK_TEXT = {running: 'running in background', waiting: 'waiting in background', completed: 'done', failed: 'failed', cancelled: 'cancelled'};
const WAITING_TEXT = {permission: 'waiting for approval', question: 'waiting for your answer'};

/** "Denied by RULE (FILE)", or that nobody could answer the call's ask (DESIGN §26). */
function deniedNote(rejection) {
    if (rejection.by === 'unattended') return 'Denied: nobody could answer its ask (permission.unattended)';
    return `Denied by ${rejection.rule ?? 'a deny rule'}${rejection.source ? ` (${rejection.source})` : ''}`;
}

/** How a `permission.auto` decision reads on its call's badge. */
const AUTO_WORDS = {allow: 'allowed', deny: 'denied', unavailable: 'unavailable', ask: 'handed to you'};

/**
 * How the background task of session {@code childId} stands, from its board row: its task's status, `waiting` while it
 * runs and waits for an answer; null while the board does not know it.
 */
function backgroundStatus(childId) {
    const task = state.sessions.get(childId)?.task;
    if (!task) return null;
    if (task.status !== 'running') return task.status;
    return (state.statuses.get(childId) ?? state.sessions.get(childId)?.status)?.type === 'waiting' ? 'waiting' : 'running';
}

function toolCard(p, ctx) {
    const st = p.state ?? {status: 'pending'};
    const status = st.status ?? 'pending';
    const d = st.display;
    const change = d?.type === 'file_change' ? d : null;
    const stats = change ? diffStats(change.diff) : null;
    const rejected = status === 'failed' && st.rejection;
    // a denial (a deny rule's, or an ask nobody could answer: DESIGN §26) is no "no" of the user's: the model read it and went on
    const denied = rejected && st.rejection.by && st.rejection.by !== 'user';
    const took = st.endedAt && st.startedAt ? duration(st.endedAt - st.startedAt) : '';
    const output = status === 'running' ? st.output : status === 'completed' ? st.output : '';
    const childId = st.metadata?.sessionId;
    // issue 82: a background task's card read "done" while its child ran: it says how the task stands instead
    const taskStatus = status === 'completed' && st.metadata?.background === 'true' && childId ? backgroundStatus(childId) : null;
    const exit = d?.type === 'command_run' && d.exitCode != null && d.exitCode !== 0 ? `exit ${d.exitCode}` : '';
    // a command that ran but exited non-zero completed as a call, yet failed as a command: show it as failed
    // a rejected call is the user's own "no": a neutral note, not an error
    // a call held by an open ask is not running yet: it waits for the user (their approval, or their answer)
    const waiting = status === 'running' ? ctx.waitingOn?.(p.callId) : null;
    const look = denied ? 'denied' : rejected ? 'rejected' : exit ? 'failed' : waiting ? 'waiting'
        : taskStatus === 'running' || taskStatus === 'waiting' || taskStatus === 'failed' ? taskStatus : taskStatus === 'cancelled' ? 'rejected' : status;
    const statusText = waiting ? WAITING_TEXT[waiting] : taskStatus ? TASK_TEXT[taskStatus] ?? taskStatus : STATUS_TEXT[status] ?? status;
    // what auto-approval's classifier decided in place of a person; its whole reason is the badge's tooltip
    const auto = ctx.autoOf?.(p.callId);
    return html`<section class="tool tool-${look}" aria-label=${`${p.tool} ${statusText}`}>
        <div class="tool-head">
            <span class="tool-icon" aria-hidden="true">${icon(look)}</span>
            <span class="tool-name">${p.tool}</span>
            <span class="tool-summary" title=${toolSummary(p)}>${toolSummary(p)}</span>
            ${stats ? html`<span class="d-count"><span class="d-plus">+${stats.added}</span> <span class="d-minus">−${stats.removed}</span></span>` : nothing}
            ${exit ? html`<span class="tag tag-failed">${exit}</span>` : nothing}
            ${d?.type === 'command_run' && d.ending === 'timed_out' ? html`<span class="tag tag-failed">timed out</span>` : nothing}
            ${d?.type === 'command_run' && d.ending === 'background' ? html`<span class="tag">background</span>` : nothing}
            ${status === 'running' && st.progress ? progressView(st.progress) : nothing}
            <span class="tag tag-${denied ? 'denied' : rejected ? 'rejected' : waiting ? 'waiting' : look}" data-tool-status=${waiting ? 'waiting' : status}
                data-task-status=${taskStatus ?? nothing}>${denied ? 'denied' : rejected ? 'rejected' : statusText}</span>
            ${took ? html`<span class="muted tool-time">${took}</span>` : nothing}
            ${auto ? html`<span class="tag tag-auto tag-auto-${auto.decision}" data-auto=${auto.decision}
                title=${`${auto.reason} (${auto.model}, ${auto.tokens} tokens, ${auto.ms} ms)`}>auto: ${AUTO_WORDS[auto.decision] ?? auto.decision}</span>` : nothing}
        </div>
        ${denied ? html`<div class="tool-note">${deniedNote(st.rejection)}</div>`
            : rejected ? html`<div class="tool-note">Rejected by you${st.rejection.message ? html`: “${st.rejection.message}”` : nothing}</div>`
            : status === 'failed' && st.error ? html`<div class="tool-error">${st.error}</div>` : nothing}
        ${change && change.diff ? html`<div class="tool-diff">${diffView(change.diff)}</div>` : nothing}
        ${d?.type === 'subagent_run' && d.report ? html`<details class="tool-output"><summary>Report</summary>${markdown(`${p.id}:report`, d.report)}</details>` : nothing}
        ${childId ? html`<a class="subtask" href=${`#/session/${childId}`}>↳ Open the subagent's session</a>` : nothing}
        ${p.tool === 'report_findings' ? findingsView(st.input) : nothing}
        ${images(st.attachments)}
        ${output && !change && !(d?.type === 'subagent_run' && d.report) ? outputBlock(p, output, status) : nothing}
    </section>`;
}

/**
 * A review's report (`/review`, `lathe review`: the review agent's `report_findings` call): each finding with its
 * priority, place, title and body, most urgent first, then the summary. Text only: lit-html escapes what the model wrote.
 */
function findingsView(input) {
    const findings = Array.isArray(input?.findings) ? input.findings.filter((f) => f && typeof f === 'object') : null;
    if (!findings) return nothing;
    const priority = (f) => Number.isInteger(f.priority) ? Math.min(3, Math.max(0, f.priority)) : 2;
    const place = (f) => {
        const file = typeof f.file === 'string' ? f.file : '';
        if (!file) return '';
        const line = Number.isInteger(f.line) && f.line > 0 ? f.line : null;
        const end = Number.isInteger(f.endLine) && line && f.endLine > line ? f.endLine : null;
        return line ? `${file}:${line}${end ? `-${end}` : ''}` : file;
    };
    const sorted = [...findings].sort((a, b) => priority(a) - priority(b));
    return html`<div class="findings" data-findings=${findings.length}>
        ${sorted.length ? html`<ol class="finding-list">${sorted.map((f) => html`<li class="finding" data-priority=${priority(f)}>
            <div class="finding-head"><span class="tag finding-p${priority(f)}">P${priority(f)}</span>
                ${place(f) ? html`<code class="finding-place">${place(f)}</code>` : nothing}
                <span class="finding-title">${String(f.title ?? '(untitled)')}</span></div>
            ${f.body ? html`<div class="finding-body">${String(f.body)}</div>` : nothing}
        </li>`)}</ol>` : html`<p class="muted">No findings.</p>`}
        ${typeof input.summary === 'string' && input.summary ? html`<p class="finding-summary">${input.summary}</p>` : nothing}
    </div>`;
}

/** Images a tool handed to the model (the read tool opening a picture), as thumbnails. */
function images(attachments) {
    const shown = (attachments ?? []).filter((a) => /^data:image\/(png|jpeg|gif|webp);/.test(a.url ?? ''));
    if (!shown.length) return nothing;
    return html`<div class="tool-images">${shown.map((a) => html`<img src=${a.url} alt=${a.name} title=${a.name} loading="lazy">`)}</div>`;
}

/** How far a long call has got, as its tool reports it (an MCP server's progress): a bar when the total is known. */
function progressView(pr) {
    const n = (x) => Number.isInteger(x) ? String(x) : x.toFixed(1);
    const total = pr.total > 0 ? pr.total : null;
    const amount = total == null ? n(pr.progress) : total === 100 ? `${n(pr.progress)}%` : `${n(pr.progress)}/${n(total)}`;
    const text = pr.message ? `${amount} · ${pr.message}` : amount;
    return html`<span class="tool-progress" data-tool-progress=${text}>
        ${total != null ? html`<progress max=${total} value=${Math.min(pr.progress, total)}></progress>` : nothing}
        <span class="muted">${text}</span></span>`;
}

function outputBlock(p, output, status) {
    const lines = output.split('\n').length;
    // live output of a running command stays open so it can be watched; finished output folds away
    return html`<details class="tool-output" ?open=${status === 'running'}>
        <summary>Output <span class="muted">${lines === 1 ? '1 line' : `${lines} lines`}</span></summary>
        <pre class="output">${output.length > 60000 ? `${output.slice(0, 60000)}\n… (${output.length - 60000} more characters)` : output}</pre>
    </details>`;
}

function icon(status) {
    return ({pending: '○', running: '◐', completed: '✓', failed: '✗', rejected: '⊘', denied: '⊘', waiting: '?'})[status] ?? '•';
}
