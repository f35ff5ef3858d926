/**
 * Snapshots of a project's files in a git directory of Lathe's own (never the user's repository), for undo and revert
 * (DESIGN §13): {@link dev.lathe.core.snapshot.Snapshots}; and {@link dev.lathe.core.snapshot.SharedRun}, the sharing
 * of a git run between callers that ask together, which the session's environment note uses too. Imports
 * {@code protocol.api} only (the {@code FileDiff} records a diff answers).
 */
package dev.lathe.core.snapshot;
