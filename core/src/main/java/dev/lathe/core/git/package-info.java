/**
 * The git command lines Lathe runs itself, outside the sandbox (snapshots, worktrees, the environment note, tracked
 * files): the options that keep a repository's own configuration from running a program. No dependency on the rest of
 * core, so the permission engine, the sandbox, snapshots and worktrees can all use it without a package cycle.
 */
package dev.lathe.core.git;
