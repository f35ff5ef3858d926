// A few line icons (16 px, currentColor), drawn here so the page needs no icon font. Always decorative:
// the control that holds one has a text or an aria-label.
import {html, svg} from '/vendor/lit-html/lit-html.js';

const paths = {
    board: svg`<rect x="2" y="2.5" width="12" height="11" rx="1.5"/><path d="M2 6h12M6 6v7.5"/>`,
    inbox: svg`<path d="M2 9.5 3.8 3.4A1.3 1.3 0 0 1 5 2.5h6a1.3 1.3 0 0 1 1.2.9L14 9.5v3a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1z"/><path d="M2 9.5h3.5l1 1.5h3l1-1.5H14"/>`,
    clock: svg`<circle cx="8" cy="8" r="6"/><path d="M8 4.5V8l2.5 1.5"/>`,
    plus: svg`<path d="M8 3v10M3 8h10"/>`,
    device: svg`<rect x="4.5" y="1.5" width="7" height="13" rx="1.5"/><path d="M7 12.2h2"/>`,
    sun: svg`<circle cx="8" cy="8" r="2.8"/><path d="M8 1.5v1.6M8 12.9v1.6M1.5 8h1.6M12.9 8h1.6M3.4 3.4l1.1 1.1M11.5 11.5l1.1 1.1M3.4 12.6l1.1-1.1M11.5 4.5l1.1-1.1"/>`,
    moon: svg`<path d="M13.5 9.6A5.8 5.8 0 0 1 6.4 2.5a5.8 5.8 0 1 0 7.1 7.1z"/>`,
    keyboard: svg`<rect x="1.5" y="4" width="13" height="8.5" rx="1.3"/><path d="M4 7h.01M6.5 7h.01M9 7h.01M11.5 7h.01M5 10h6"/>`,
    folder: svg`<path d="M1.8 4.2a1 1 0 0 1 1-1h3.3l1.5 1.6h5.6a1 1 0 0 1 1 1v6.5a1 1 0 0 1-1 1H2.8a1 1 0 0 1-1-1z"/>`,
    copy: svg`<rect x="5" y="5" width="8.5" height="8.5" rx="1.3"/><path d="M11 5V3.3a.8.8 0 0 0-.8-.8H3.3a.8.8 0 0 0-.8.8v6.9a.8.8 0 0 0 .8.8H5"/>`,
    search: svg`<circle cx="7" cy="7" r="4.3"/><path d="m10.2 10.2 3.3 3.3"/>`,
    corner: svg`<path d="M4 2.5v6a2 2 0 0 0 2 2h6.5"/>`,
    branch: svg`<circle cx="4.5" cy="3.5" r="1.5"/><circle cx="4.5" cy="12.5" r="1.5"/><circle cx="11.5" cy="5" r="1.5"/><path d="M4.5 5v6M11.5 6.5c0 2.5-2 3-5.5 4.5"/>`,
};

/** <svg> for the named icon. */
export function icon(name, className = '') {
    return html`<svg class="icon ${className}" viewBox="0 0 16 16" width="16" height="16" fill="none"
        stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"
        aria-hidden="true" focusable="false">${paths[name]}</svg>`;
}
