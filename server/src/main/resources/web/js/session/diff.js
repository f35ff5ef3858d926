// A unified diff as a readable block: one section per file (path, +added −removed), then its hunks as rows with the
// old and new line numbers. Long lines scroll sideways inside the block, so a phone never scrolls the whole page.
import {html, nothing} from '/vendor/lit-html/lit-html.js';

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

/** Splits unified diff text into files: {path, added, removed, rows:[{kind, old, new, text}]}. */
export function parseDiff(text) {
    const files = [];
    let file = null;
    let oldNo = 0;
    let newNo = 0;
    const start = (path) => {
        file = {path, added: 0, removed: 0, rows: []};
        files.push(file);
    };
    const lines = String(text ?? '').split('\n');
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line.startsWith('diff --git ')) {
            const m = / b\/(.*)$/.exec(line);
            start(m ? m[1] : line.slice(11));
            file.fromGit = true;
            continue;
        }
        // a file header is "--- a/x" followed by "+++ b/x" (a removed line "-- x" also starts with "--- ")
        if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ')) {
            const from = stripPrefix(line.slice(4));
            const to = stripPrefix(lines[i + 1].slice(4));
            if (!(file && file.fromGit && file.rows.length === 0)) start(to);
            file.path = to === '/dev/null' ? from : to;
            i++;
            continue;
        }
        if (/^(index |new file mode|deleted file mode|similarity index|rename from|rename to|old mode|new mode)/.test(line)) continue;
        if (!file) start('');
        const hunk = HUNK.exec(line);
        if (hunk) {
            oldNo = Number(hunk[1]);
            newNo = Number(hunk[2]);
            file.rows.push({kind: 'hunk', text: line});
        } else if (line.startsWith('@@')) {
            file.rows.push({kind: 'hunk', text: line});
        } else if (line.startsWith('+')) {
            file.added++;
            file.rows.push({kind: 'add', old: '', new: newNo++, text: line.slice(1)});
        } else if (line.startsWith('-')) {
            file.removed++;
            file.rows.push({kind: 'del', old: oldNo++, new: '', text: line.slice(1)});
        } else if (line.startsWith(' ')) {
            file.rows.push({kind: 'ctx', old: oldNo++, new: newNo++, text: line.slice(1)});
        } else if (line.startsWith('\\')) {
            file.rows.push({kind: 'note', text: line.slice(1).trim()});
        }
    }
    return files.filter((f) => f.rows.length > 0 || f.path);
}

function stripPrefix(path) {
    const p = path.replace(/\t.*$/, '');
    return /^[ab]\//.test(p) ? p.slice(2) : p;
}

/** Added and removed line counts of a whole diff, for one-line summaries. */
export function diffStats(text) {
    let added = 0;
    let removed = 0;
    for (const f of parseDiff(text)) {
        added += f.added;
        removed += f.removed;
    }
    return {added, removed};
}

const SIGN = {add: '+', del: '−', ctx: ' '};

function row(r) {
    if (r.kind === 'hunk') return html`<tr class="d-hunk"><td class="d-no" colspan="2"></td><td class="d-text">${r.text}</td></tr>`;
    if (r.kind === 'note') return html`<tr class="d-note"><td class="d-no" colspan="2"></td><td class="d-text">${r.text}</td></tr>`;
    return html`<tr class="d-${r.kind}"><td class="d-no">${r.old}</td><td class="d-no">${r.new}</td><td class="d-text"><span class="d-sign" aria-hidden="true">${SIGN[r.kind]}</span>${r.text}</td></tr>`;
}

/** The diff as a block of files; an empty or unreadable diff shows nothing. */
export function diffView(unifiedDiff) {
    const files = parseDiff(unifiedDiff);
    if (files.length === 0) return nothing;
    return html`<div class="diff">${files.map((f) => html`
        <section class="d-file" aria-label=${`Changes to ${f.path || 'file'}`}>
            <header class="d-head"><span class="d-path">${f.path}</span>
                <span class="d-count"><span class="d-plus">+${f.added}</span> <span class="d-minus">−${f.removed}</span></span></header>
            <div class="d-scroll"><table class="d-table"><tbody>${f.rows.map(row)}</tbody></table></div>
        </section>`)}</div>`;
}
