/**
 * Signing in with a subscription the user already pays for, instead of an API key (issue 32): ChatGPT Plus/Pro
 * ({@link dev.lathe.core.subscription.ChatGptSignIn}: OAuth 2.0 authorization code with PKCE S256 through a loopback
 * redirect, or OpenAI's device code) and GitHub Copilot ({@link dev.lathe.core.subscription.CopilotSignIn}: GitHub's
 * device flow, then the GitHub token exchanged for short-lived Copilot tokens). The tokens are kept in the auth store
 * ({@code core.auth}, 0600); {@link dev.lathe.core.subscription.PlanTokens} hands out a token that is valid for at
 * least five more minutes, renewing it once for all sessions (and processes) when it is not, and
 * {@link dev.lathe.core.subscription.SignedInProtocol} attaches it, with the plan's headers, to each request at the
 * moment it is sent. Anthropic's Claude plans are deliberately absent: their terms allow their tokens only in Claude
 * Code (Lathe runs Claude Code as an ACP agent instead).
 *
 * <p>In local-only mode every exchange of a sign-in or renewal goes through the project's {@code OutboundGate} (loopback,
 * or a server written in {@code provider.NAME.oauth}), and so does the endpoint a Copilot token names (decision 120).
 *
 * <p>Imports {@code core.auth}, {@code core.config} (the {@code oauth} overrides), {@code core.network} (the gate), llm (the {@code Protocol} it wraps),
 * protocol ({@code Version}) and the loopback redirect and PKCE of {@code dev.lathe.mcp.oauth}.
 */
package dev.lathe.core.subscription;
