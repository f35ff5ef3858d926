// Model text as Markdown: marked makes the HTML, highlight.js colours code blocks, and DOMPurify cleans the result
// before it reaches the page (model output is untrusted). Rendered HTML is cached per part and text length, so a
// long transcript re-parses only the part that is streaming.
import {Marked} from '/vendor/marked/lib/marked.esm.js';
import DOMPurify from '/vendor/dompurify/dist/purify.es.mjs';
import {html} from '/vendor/lit-html/lit-html.js';
import {unsafeHTML} from '/vendor/lit-html/directives/unsafe-html.js';
import {requestRender} from '../store.js';

// Our own purifier instance: the hooks below must not change how anything else sanitises.
const purifier = DOMPurify(window);

// Model output must not restyle the app, cover it, or forge its controls (a prompt injection could make a fake
// "Allow once" or hide the real "Reject"). Raw HTML in the Markdown is already shown as text (see the renderer);
// this is the second wall: no styles, no form controls, no frames, no ids or names to collide with the app's.
const SANITIZE = {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'dialog', 'iframe', 'object', 'embed',
        'link', 'meta', 'base'],
    FORBID_ATTR: ['style', 'id', 'name'],
    ADD_ATTR: ['target'],
};
// the class names our own renderer and highlight.js write; any other class could borrow the app's look
const OWN_CLASSES = new Set(['code-block', 'code-head', 'code-lang', 'code-copy-slot']);
const allowedClass = (name) => OWN_CLASSES.has(name) || name.startsWith('hljs') || name.startsWith('language-');
purifier.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName !== 'class') return;
    const kept = data.attrValue.split(/\s+/).filter((name) => name && allowedClass(name));
    if (kept.length) data.attrValue = kept.join(' ');
    else data.keepAttr = false;
});
purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
    }
});

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);

function highlighted(code, lang) {
    const hljs = window.hljs;
    if (!hljs) {
        loadHighlighter();
        return escapeHtml(code);
    }
    try {
        if (lang && hljs.getLanguage(lang)) return hljs.highlight(code, {language: lang, ignoreIllegals: true}).value;
        // guessing the language tries every grammar: only for blocks small enough to do it on every streamed frame
        if (code.length < 5000) return hljs.highlightAuto(code).value;
    } catch {
        // an odd grammar failure only costs the colours
    }
    return escapeHtml(code);
}

// Raw HTML written by the model (a block or an inline tag) is shown as the text it is, never as markup.
const COPY_SLOT = '<span class="code-copy-slot"></span>';
const COPY_BUTTON = '<button type="button" class="code-copy" data-copy-code>Copy</button>';

const marked = new Marked({
    gfm: true,
    breaks: false,
    renderer: {
        code({text, lang}) {
            const language = (lang || '').trim().split(/\s+/)[0];
            const label = language ? `<span class="code-lang">${escapeHtml(language)}</span>` : '<span class="code-lang"></span>';
            // the Copy button is put in after sanitising (buttons are not allowed in Markdown): see COPY_SLOT
            return `<div class="code-block"><div class="code-head">${label}${COPY_SLOT}</div>`
                + `<pre><code class="hljs${language ? ' language-' + escapeHtml(language) : ''}">${highlighted(text, language)}</code></pre></div>`;
        },
        html({text, block}) {
            return block ? `<p>${escapeHtml(text)}</p>` : escapeHtml(text);
        },
        // a task list's box as a character (form controls are not allowed in Markdown)
        checkbox({checked}) {
            return checked ? '☑ ' : '☐ ';
        },
    },
});

// highlight.js is a classic script (no module build): load it once on demand if the page did not, then redraw.
let loading = false;
function loadHighlighter() {
    if (loading || window.hljs) return;
    loading = true;
    const script = document.createElement('script');
    script.src = '/vendor/highlightjs/highlight.min.js';
    script.onload = () => {
        cache.clear();
        cachedChars = 0;
        epoch++;
        requestRender();
    };
    document.head.append(script);
}

// key → {length, text, html, at, cost}; bounded by the characters it holds (text and HTML), oldest rendering out first
const cache = new Map();
const CACHE_CHARS = 4_000_000;
let cachedChars = 0;
let epoch = 0;

const weight = (entry) => entry.text.length + entry.html.length;

function remember(key, entry) {
    forgetMarkdown(key);
    cache.set(key, entry);
    cachedChars += weight(entry);
    while (cachedChars > CACHE_CHARS && cache.size > 1) forgetMarkdown(cache.keys().next().value);
}

/**
 * Changes when a rendering went stale without its message changing (the highlighter arrived late, a throttled parse
 * caught up), for views that skip unchanged messages.
 */
export function markdownEpoch() {
    return epoch;
}

const SLOW_PARSE_MS = 8;
const SLOW_INTERVAL_MS = 150;
const catchUp = new Map();

/**
 * Markdown text as sanitised HTML (a string); cached under `key` while the text keeps its length. A long answer that
 * takes a while to parse is re-parsed at most every 150 ms while it streams (the screen catches up right after), so
 * a phone keeps up with a fast stream.
 */
export function markdownHtml(key, text) {
    const hit = cache.get(key);
    if (hit && hit.length === text.length && hit.text === text) return hit.html;
    const now = performance.now();
    if (hit && hit.cost > SLOW_PARSE_MS && now - hit.at < SLOW_INTERVAL_MS) {
        if (!catchUp.has(key)) {
            catchUp.set(key, setTimeout(() => {
                catchUp.delete(key);
                epoch++;  // views that skip unchanged messages must draw this one again
                requestRender();
            }, SLOW_INTERVAL_MS - (now - hit.at)));
        }
        return hit.html;
    }
    let out;
    try {
        // the sanitised HTML serialises our own slot exactly as written, and the model cannot write one (raw HTML is
        // escaped and classes outside OWN_CLASSES are dropped), so only real code blocks get a Copy button
        out = purifier.sanitize(marked.parse(text), SANITIZE).replaceAll(COPY_SLOT, COPY_BUTTON);
    } catch {
        out = `<p>${escapeHtml(text)}</p>`;
    }
    const done = performance.now();
    remember(key, {length: text.length, text, html: out, at: done, cost: done - now});
    return out;
}

/** Markdown as a lit template. */
export function markdown(key, text) {
    return html`<div class="md">${unsafeHTML(markdownHtml(key, text))}</div>`;
}

/** Forgets a part's rendering (it was removed). */
export function forgetMarkdown(key) {
    const entry = cache.get(key);
    if (!entry) return;
    cache.delete(key);
    cachedChars -= weight(entry);
}

// One listener for every code block's Copy button (no inline handlers under the page's CSP).
document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-copy-code]') : null;
    if (!button) return;
    const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
    try {
        await navigator.clipboard.writeText(code);
        button.textContent = 'Copied';
    } catch {
        button.textContent = 'Copy failed';
    }
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
});
