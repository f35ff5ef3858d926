/**
 * Work a session started that runs on without it: background tasks and their results delivered to the parent
 * ({@code BackgroundResults}), tasks running on another node, and the fleet's tasks ({@code FleetTasks},
 * {@code TaskTurns}).
 */
package dev.lathe.core.session.background;
