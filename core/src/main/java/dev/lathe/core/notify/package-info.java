/**
 * Notifications (DESIGN §18 and §22 "Notifications"): when a session asks the user, finishes its turn or fails, the
 * user's {@code notify} webhook gets a JSON {@link dev.lathe.core.notify.Notice} and their {@code notify} command the same
 * JSON on stdin. {@link dev.lathe.core.notify.NoticedEvents} sits on the cluster port's events, so a node tells of the
 * events it appended itself: on a team server the node running the session, once. Delivery
 * ({@link dev.lathe.core.notify.Notifier}) runs off the turn's thread, bounded in time and number, and never fails
 * anything. Imports {@code core.bus} (the events port it decorates), {@code core.config} (the user's {@code notify}),
 * {@code core.network} (local-only mode), {@code tools} (the child environment) and the protocol's records.
 */
package dev.lathe.core.notify;
