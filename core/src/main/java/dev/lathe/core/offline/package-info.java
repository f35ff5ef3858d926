/**
 * What the command line's offline commands compute in process, without a server or the store: the models known
 * ({@code lathe models}), the key store and where keys come from ({@code lathe auth}), a recorded provider stream decoded
 * ({@code lathe debug decode}), and permission requests decided by the gate's own function ({@code lathe debug
 * permission}, {@link dev.lathe.core.permission.GateDecision}), and the checks of {@code lathe doctor} ({@link
 * dev.lathe.core.offline.Checkup}: installed programs, the configuration, the sandbox's state, the model and the keys
 * found, never a key). The server's {@code LocalCommands} facade is its only
 * caller, so {@code app} reaches none of this directly (DESIGN §2). Answers in core and JDK types, never in llm types.
 * Imports {@code core.config}, {@code core.auth}, {@code core.model}, {@code core.agent}, {@code core.project},
 * {@code core.permission}, {@code core.sandbox} (the sandbox's state), {@code core.network} (local-only mode's line, {@code NetworkCheck}), {@code core.hooks}, tools ({@link dev.lathe.tools.ProjectPaths}, {@link dev.lathe.tools.PermissionCheck}) and llm
 * (codecs, catalog, debug output), and {@code mcp} ({@code McpEntries}: the configured servers; {@link
 * dev.lathe.core.offline.McpSignIn}: {@code lathe mcp auth} through {@code dev.lathe.mcp.oauth}).
 */
package dev.lathe.core.offline;
