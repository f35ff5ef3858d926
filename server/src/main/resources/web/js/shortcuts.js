// Keyboard shortcuts. Single keys and "g then x" sequences, ignored while typing in a field or with a modifier
// held, so they never steal a keystroke from the prompt box or a filter.
import {html} from '/vendor/lit-html/lit-html.js';
import {focusFilter, moveSelection, openSelection} from './board.js';
import {openDialog, openDialogName} from './dialog.js';
import {currentRoute, navigate} from './route.js';

const SHORTCUTS = [
    ['g b', 'Go to the board'],
    ['g i', 'Go to the inbox'],
    ['j / k', 'Next / previous session on the board'],
    ['Enter', 'Open the selected session'],
    ['n', 'New session'],
    ['/', 'Filter the board'],
    ['?', 'Show these shortcuts'],
    ['Esc', 'Close a dialog, leave a field'],
];

export function shortcutsHelp() {
    return html`<dl class="shortcuts">
        ${SHORTCUTS.map(([keys, what]) => html`<div class="shortcut">
            <dt>${keys.split(' ').map(k => k === '/' && keys.includes(' / ') ? html` / ` : html`<kbd>${k}</kbd>`)}</dt>
            <dd>${what}</dd></div>`)}
    </dl>`;
}

function typing(target) {
    if (!target || !(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag === 'INPUT') {
        const type = (target.getAttribute('type') || 'text').toLowerCase();
        return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(type);
    }
    return false;
}

let pendingG = 0;

function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
        // Esc leaves a field (outside dialogs, where Esc closes the dialog), so the single-key shortcuts work again
        if (event.key === 'Escape' && !event.target.closest('dialog')) event.target.blur();
        return;
    }
    if (openDialogName()) return; // a dialog has its own keys (Esc closes it natively)
    const key = event.key;
    const now = Date.now();
    if (pendingG && now - pendingG < 1200) {
        pendingG = 0;
        if (key === 'b') { event.preventDefault(); navigate('#/'); return; }
        if (key === 'i') { event.preventDefault(); navigate('#/inbox'); return; }
    }
    pendingG = 0;
    const onBoard = currentRoute().name === 'board';
    switch (key) {
        case 'g':
            pendingG = now;
            return;
        case 'j':
        case 'k':
            if (!onBoard) return;
            event.preventDefault();
            moveSelection(key === 'j' ? 1 : -1);
            return;
        case 'Enter':
            // a focused link or button handles Enter itself
            if (!onBoard || (event.target instanceof Element && event.target.closest('a, button'))) return;
            openSelection();
            return;
        case 'n':
            event.preventDefault();
            openDialog('new-session');
            return;
        case '/':
            if (!onBoard) return;
            event.preventDefault();
            focusFilter();
            return;
        case '?':
            event.preventDefault();
            openDialog('shortcuts');
            return;
        default:
    }
}

export function installShortcuts() {
    document.addEventListener('keydown', onKey);
}
