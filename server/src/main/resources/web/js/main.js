// Boot and the app shell: loads the shared state, opens the live stream, and renders the whole page with lit-html
// whenever something changed (at most once per animation frame; lit only touches the DOM that differs).
// first: takes the login key out of the address before anything reads the route
import {loginKey} from './login-key.js';
import {html, render, nothing} from '/vendor/lit-html/lit-html.js';
import {api, onUnauthorized} from './api.js';
import {SESSION_STATUSES} from './api-routes.js';
import {connection, onConnection, onStreamRefused, startLive, stopLive} from './live.js';
import {loadAll, pendingCount, requestRender, state, subscribe} from './store.js';
import {currentRoute} from './route.js';
import {boardView, projectNav} from './board.js';
import {inboxView} from './inbox.js';
import {schedulesOpened, schedulesView} from './schedules.js';
import {icon} from './icons.js';
import {closeDialog, modal, openDialog, openDialogName} from './dialog.js';
import {newSessionDialog} from './new-session.js';
import {deviceLoginDialog} from './device-login.js';
import {connectDialog} from './connect.js';
import {installShortcuts, shortcutsHelp} from './shortcuts.js';

const root = document.getElementById('app');
// lit renders after what is already there: drop the "Loading Lathe…" placeholder first
root.textContent = '';

// W2's session view loads on first use (and a missing or broken module does not take the board down with it)
let sessionModule = null;
let sessionModuleError = null;
let sessionModuleLoading = false;
function sessionContent(id) {
    if (sessionModule) return sessionModule.sessionView(id);
    if (sessionModuleError) return html`<div class="empty"><p>The session view could not load: ${sessionModuleError}</p></div>`;
    if (!sessionModuleLoading) {
        sessionModuleLoading = true;
        import('./session/view.js').then(
            (module) => { sessionModule = module; requestRender(); },
            (e) => { sessionModuleError = e.message || String(e); requestRender(); });
    }
    return html`<div class="empty"><p>Loading…</p></div>`;
}

// ---- rendering ----

let frame = 0;
function scheduleRender() {
    // animation frames pause in a background tab, and that is when the tab's title (the pending count) matters
    if (document.visibilityState === 'hidden') document.title = pageTitle(currentRoute());
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; renderApp(); });
}

/** "(2) Lathe": the pending asks first, so a tab in the background shows them. */
function pageTitle(route) {
    const pending = pendingCount();
    let title = 'Lathe';
    if (state.auth === 'needed') return 'Lathe — not logged in';
    if (route.name === 'session') {
        const entry = state.sessions.get(route.id);
        if (entry) title = entry.session.title + ' · Lathe';
    } else if (route.name === 'inbox') {
        title = 'Inbox · Lathe';
    } else if (route.name === 'schedules') {
        title = 'Schedules · Lathe';
    }
    return (pending ? `(${pending}) ` : '') + title;
}
subscribe(scheduleRender);
onConnection(scheduleRender);
window.addEventListener('hashchange', () => {
    if (currentRoute().name === 'schedules') schedulesOpened();
    scheduleRender();
    // a new page: start reading at its top, and tell screen readers where we are
    const main = document.getElementById('main');
    if (main) main.focus({preventScroll: true});
    window.scrollTo(0, 0);
});

const CONNECTION_TEXT = {live: 'live', connecting: 'reconnecting…', offline: 'offline'};

function connectionIndicator() {
    const now = connection();
    return html`<span class="connection" data-state=${now} role="status" aria-label="Connection"
        title=${now === 'live' ? 'Receiving live updates' : 'Not receiving updates; retrying by itself'}>${CONNECTION_TEXT[now]}</span>`;
}

/** Local-only mode's refusals (GET /network/blocked, then network.blocked): how many, each listed in the tooltip. */
function blockedIndicator() {
    if (!state.blocked.length) return nothing;
    const list = state.blocked.map(b => `${b.by} → ${b.host}${b.folder ? ' (' + b.folder + ')' : ''}`).join('\n');
    return html`<span class="connection blocked" data-state="offline" role="status" aria-label="Blocked connections"
        title=${'Local-only mode blocked (nothing was sent):\n' + list}>local-only: ${state.blocked.length} blocked</span>`;
}

function themeButton() {
    const dark = window.latheTheme && window.latheTheme.effective() === 'dark';
    const label = dark ? 'Switch to light theme' : 'Switch to dark theme';
    return html`<button type="button" class="icon-button" aria-label=${label} title=${label}
        @click=${() => { window.latheTheme.toggle(); scheduleRender(); }}>${icon(dark ? 'sun' : 'moon')}</button>`;
}

function shell(route, content) {
    const pending = pendingCount();
    const here = (name) => route.name === name ? 'page' : nothing;
    return html`
    <a class="skip-link" href="#main" @click=${(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>Skip to content</a>
    <div class="shell ${route.name === 'session' ? 'shell-wide' : ''}">
        <header class="appbar">
            <a class="brand" href="#/" aria-label="Lathe home"><span class="brand-mark" aria-hidden="true">◐</span>Lathe</a>
            <nav class="tabs" aria-label="Main">
                <a href="#/" aria-current=${here('board')}>${icon('board')}<span>Board</span></a>
                <a href="#/inbox" aria-current=${here('inbox')} class=${pending ? 'has-pending' : ''}>${icon('inbox')}<span>Inbox</span> ${pending
                    ? html`<span class="count" title=${pending + ' waiting for an answer'}>${pending}</span>` : nothing}</a>
                <a href="#/schedules" aria-current=${here('schedules')}>${icon('clock')}<span>Schedules</span></a>
                <button type="button" class="tab-new" @click=${() => openDialog('new-session')}>${icon('plus')}<span>New</span></button>
            </nav>
            <div class="appbar-end">
                ${blockedIndicator()}
                ${connectionIndicator()}
                <button type="button" class="button primary new-session-button" @click=${() => openDialog('new-session')}
                    title="New session (n)">${icon('plus')}<span>New session</span></button>
                <button type="button" class="icon-button" aria-label="Open on another device" title="Open on another device"
                    @click=${() => openDialog('device')}>${icon('device')}</button>
                ${themeButton()}
                <button type="button" class="icon-button hide-phone" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)"
                    @click=${() => openDialog('shortcuts')}>${icon('keyboard')}</button>
            </div>
        </header>
        ${route.name === 'session' ? nothing : html`<aside class="sidebar" aria-label="Projects">${projectNav(route)}</aside>`}
        <main id="main" tabindex="-1">${content}</main>
    </div>
    <div class="visually-hidden" aria-live="polite" aria-atomic="true">${state.announcement}</div>
    ${dialogContent()}`;
}

function dialogContent() {
    switch (openDialogName()) {
        case 'new-session': return newSessionDialog();
        case 'device': return deviceLoginDialog();
        case 'connect': return connectDialog();
        case 'shortcuts': return modal('shortcuts', 'Keyboard shortcuts', shortcutsHelp());
        default: return nothing;
    }
}

function loginScreen() {
    return html`<div class="login-screen">
        <div class="login-card">
            <h1><span class="brand-mark" aria-hidden="true">◐</span> Lathe</h1>
            <p><strong>This browser is not logged in.</strong></p>
            <p>Run <code>lathe web</code> on the machine running Lathe: it opens this page logged in.
               For another browser or device, <code>lathe web --print-url</code> prints a one-time link (valid for a few minutes).</p>
            <button type="button" class="button" @click=${() => location.reload()}>Try again</button>
        </div>
    </div>`;
}

function noSuchSession() {
    return html`<div class="empty" role="alert"><p>No such session.</p><a class="button" href="#/">Back to the board</a></div>`;
}

function renderApp() {
    const route = currentRoute();
    document.title = pageTitle(route);
    if (state.auth === 'needed') {
        render(loginScreen(), root);
        return;
    }
    const content = route.name === 'session' ? sessionContent(route.id)
        : route.name === 'no-session' ? noSuchSession()
            : route.name === 'inbox' ? inboxView(route)
                : route.name === 'schedules' ? schedulesView()
                : boardView(route);
    render(shell(route, content), root);
}

// ---- boot ----

onUnauthorized(() => {
    if (state.auth !== 'needed') {
        state.auth = 'needed';
        stopLive();
        closeDialog();
        scheduleRender();
    }
});

// relative times ("5m ago") move on without any request to the server
setInterval(() => { if (document.visibilityState === 'visible') scheduleRender(); }, 15_000);

// a refused stream says nothing about why; an ordinary request does (a 401 shows the login screen)
onStreamRefused(() => { api(SESSION_STATUSES).catch(() => {}); });

installShortcuts();
if (!loginKey()) {
    // never logged in here (or the storage was cleared): nothing to ask the server
    state.auth = 'needed';
} else {
    // the stream first, so nothing that happens during the first load is lost
    startLive();
    loadAll();
}
scheduleRender();
