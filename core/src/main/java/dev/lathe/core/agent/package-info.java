/**
 * Agents (DESIGN §11): the built-in ones, and those a project's config and agent Markdown files define (Lathe's own,
 * and OpenCode's and Claude Code's read for migration), loaded into {@link dev.lathe.core.agent.Agents}. Reads those
 * files' front matter with {@code core.markdown}. Imports {@code core.config}, {@code core.markdown} and
 * {@code core.permission}, and tools: the read-only tool list of {@code explore} is derived from what the built-ins
 * ({@code tools.builtin.Builtins}) declare about themselves, never from their names. The session layer uses an agent;
 * this package never runs one.
 */
package dev.lathe.core.agent;
