/**
 * Operations on a session's past: revert and unrevert ({@code Reverts}), rewind, undo, fork and the diff of what a
 * session changed.
 */
package dev.lathe.core.session.history;
