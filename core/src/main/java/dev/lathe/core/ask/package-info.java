/**
 * The asks a tool call makes of the user (DESIGN §10): {@link dev.lathe.core.ask.PermissionGate} (the
 * {@code Permissions} port of one call: the project's rules, the "always" approvals, the ask and its wait) and
 * {@link dev.lathe.core.ask.QuestionGate} (the {@code Questions} port), which tell clients through
 * {@link dev.lathe.core.ask.AskNotices} (implemented by the session journal). Imports protocol, llm (cancellation),
 * tools (the ports it implements) and the core packages permission and question; never core.session.
 */
package dev.lathe.core.ask;
