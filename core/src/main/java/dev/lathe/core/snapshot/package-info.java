/**
 * Snapshots of a project's files in a git directory of Lathe's own (never the user's repository), for undo and revert
 * (DESIGN §13). Imports {@code dev.lathe.protocol} only.
 */
package dev.lathe.core.snapshot;
