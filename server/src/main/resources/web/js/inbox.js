// The inbox: every pending permission ask and question of every session, oldest first (the agent that has waited
// longest comes first), each answerable where it stands.
import {html, nothing} from '/vendor/lit-html/lit-html.js';
import {repeat} from '/vendor/lit-html/directives/repeat.js';
import {pendingCount, state} from './store.js';
import {permissionCard, questionCard} from './ask.js';
import {notificationsOn, notificationsSupported, toggleNotifications} from './notify.js';

let scrolledTo = null;

export function inboxView(route) {
    const items = [
        ...[...state.permissions.values()].map(request => ({kind: 'permission', item: request})),
        ...[...state.questions.values()].map(question => ({kind: 'question', item: question})),
    ].sort((a, b) => a.item.createdAt - b.item.createdAt);
    const focus = route.query.get('ask');
    if (focus && focus !== scrolledTo) {
        // "Answer" on the board links here: bring that ask into view once it is rendered
        requestAnimationFrame(() => {
            const card = document.querySelector(`[data-ask="${CSS.escape(focus)}"]`);
            if (card) {
                scrolledTo = focus;
                card.scrollIntoView({block: 'start'});
                const first = card.querySelector('button, input, textarea');
                if (first) first.focus({preventScroll: true});
            }
        });
    }
    const count = items.length;
    // on a team server others' asks show here to watch: only those the signed-in user may answer wait for them
    const mine = pendingCount();
    const others = count - mine;
    const sub = [mine ? `${mine} waiting for you` : '', others ? `${others} for ${others === 1 ? 'its owner' : 'their owners'} to answer` : '']
        .filter(Boolean).join(' · ');
    return html`<div class="page-head inbox-head">
            <h1>Inbox</h1>
            <span class="page-sub">${sub}</span>
            ${notificationsSupported() ? html`<button type="button" class="link-button page-action" aria-pressed=${notificationsOn() ? 'true' : 'false'}
                @click=${toggleNotifications}>${notificationsOn() ? 'Notifications on' : 'Notify me in the background'}</button>` : nothing}
        </div>
        ${count === 0 ? html`<div class="empty inbox-empty"><p><strong>Nothing is waiting for you.</strong></p>
                <p>When an agent asks for permission or asks a question, in any session, it shows up here.</p></div>`
            : html`<div class="inbox-list">
                ${repeat(items, x => x.item.id, x => html`<div class="inbox-item ${x.item.id === focus ? 'focused' : ''}">
                    ${x.kind === 'permission' ? permissionCard(x.item, {withOrigin: true}) : questionCard(x.item, {withOrigin: true})}
                </div>`)}
            </div>`}
        ${nothing}`;
}
