/**
 * ACP agents as providers (DESIGN §14): an external agent (Claude Code or Codex through their ACP adapters), started
 * from its configured command, runs a session's turns while Lathe is its ACP client. {@link AgentEngines} keeps one
 * process per project and agent ({@link AgentConnection}); what the agent streams arrives as {@link AgentUpdate}s and
 * {@link PermissionAsk}s in one ordered queue the turn drains ({@link AgentPrompt}), so the turn's thread alone writes
 * the session.
 */
package dev.lathe.core.acpagent;
