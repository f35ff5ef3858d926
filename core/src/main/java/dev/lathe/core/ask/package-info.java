/**
 * The asks a tool call makes of the user (DESIGN §10): {@link dev.lathe.core.ask.PermissionGate} (the
 * {@code Permissions} port of one call: the project's rules, the "always" approvals, the ask and its wait),
 * {@link dev.lathe.core.ask.RememberedAnswers} (the "always" answers: project-wide in the store, session-wide in
 * memory; listed and revoked) and {@link dev.lathe.core.ask.QuestionGate} (the {@code Questions} port), which tell
 * clients through {@link dev.lathe.core.ask.AskNotices} (implemented by the session journal). Imports protocol, llm
 * (cancellation), tools (the ports it implements) and the core packages permission, question and store; never
 * core.session.
 */
package dev.lathe.core.ask;
