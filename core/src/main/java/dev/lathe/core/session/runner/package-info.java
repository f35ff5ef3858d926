/**
 * Where turns run: one {@code SessionRunner} per session ({@code Runners}), whose thread runs its
 * {@code SessionTask}s, and the slash commands a prompt expands into ({@code CommandExpansion}).
 */
package dev.lathe.core.session.runner;
