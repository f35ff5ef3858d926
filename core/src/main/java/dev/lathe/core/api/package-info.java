/**
 * {@link dev.lathe.core.api.LocalLathe}, the in-process implementation of {@link dev.lathe.protocol.api.LatheApi}:
 * each method one call into {@code core.session}'s {@code Sessions} (session operations), {@code core.info}'s
 * {@code ProjectInfo} (what clients ask about a folder), the permission broker (asks), or the event bus
 * (subscriptions). The HTTP server serves it, and {@code lathe run} calls it directly when no daemon runs. Imports
 * protocol and the core packages bus, info, permission, project and session.
 */
package dev.lathe.core.api;
