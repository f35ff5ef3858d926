// The one modal dialog open at a time (new session, shortcuts, another device), rendered by main.js as part of the
// app. Native <dialog> gives us the focus trap, Esc to close and the backdrop; we only remember what to show and
// give focus back to where it was.
import {html} from '/vendor/lit-html/lit-html.js';
import {ref} from '/vendor/lit-html/directives/ref.js';
import {requestRender} from './store.js';

let current = null;
let returnFocus = null;
let generation = 0;

/** Grows each time a dialog opens, so a dialog's module can tell a fresh opening from a re-render. */
export function dialogGeneration() {
    return generation;
}

/** The name of the open dialog ('new-session' | 'shortcuts' | 'device' | 'connect'), or null. */
export function openDialogName() {
    return current;
}

export function openDialog(name) {
    if (current === name) return;
    if (!current) returnFocus = document.activeElement;
    current = name;
    generation++;
    requestRender();
}

export function closeDialog() {
    if (!current) return;
    current = null;
    requestRender();
    const target = returnFocus;
    returnFocus = null;
    // after the render removed the dialog
    requestAnimationFrame(() => requestAnimationFrame(() => {
        if (target && target.isConnected && typeof target.focus === 'function') target.focus();
    }));
}

function showWhenConnected(element) {
    if (!element) return;
    // lit calls this while the new template is still a detached fragment; show it once it is in the page
    const show = () => { if (element.isConnected && !element.open) element.showModal(); };
    if (element.isConnected) show();
    else queueMicrotask(show);
}

function onCancel(event) {
    // Esc: close through our state so the render and the focus return stay in step
    event.preventDefault();
    closeDialog();
}

/** A modal dialog with a heading and a close button; `body` is its content. */
export function modal(name, title, body, {wide = false} = {}) {
    return html`<dialog class="modal ${wide ? 'modal-wide' : ''}" aria-labelledby="dialog-title-${name}"
            ${ref(showWhenConnected)} @cancel=${onCancel} @close=${closeDialog}>
        <div class="modal-head">
            <h2 id="dialog-title-${name}">${title}</h2>
            <button type="button" class="icon-button" aria-label="Close" title="Close (Esc)" @click=${closeDialog}>
                <span aria-hidden="true">✕</span>
            </button>
        </div>
        <div class="modal-body">${body}</div>
    </dialog>`;
}
