/**
 * Sessions in git worktrees (DESIGN §19): {@link dev.lathe.core.worktree.Worktrees} creates
 * {@code REPO/.lathe/worktrees/NAME} on branch {@code lathe/NAME} with the real {@code git worktree add}, lists,
 * merges, removes and ends them; {@link dev.lathe.core.worktree.WorktreeLocation} tells whether a folder is one (what a
 * session records). Everything runs the git command line ({@link dev.lathe.core.worktree.GitRun}); every check runs
 * before the first change, so bad input changes nothing. Imports protocol only.
 */
package dev.lathe.core.worktree;
