/**
 * Configuration (DESIGN §15): JSON with comments read from every layer (defaults, global, project, LATHE_CONFIG,
 * LATHE_CONFIG_CONTENT, managed policy), validated per layer so errors name the file, line and key, merged deeply
 * (objects merge, arrays replace) and bound to records; each layer found checked on its own for {@code lathe doctor}
 * ({@link dev.lathe.core.config.ConfigFiles}); and the XDG folders ({@link dev.lathe.core.config.LathePaths}).
 * JSON stops here: the rest of core sees only {@link dev.lathe.core.config.Config}, plus JSON text at two edges of the
 * API: the merged layers with secrets masked for {@code GET /config}, and the merge patch
 * {@link dev.lathe.core.config.ConfigEditor} writes into the project's file. Imports llm only for the
 * {@code ReasoningEffort} a model's config names, tools only for the default process limit of a command
 * ({@code ProcessLauncher.DEFAULT_PROCESS_LIMIT}), mcp for the {@code McpServerSpec} an {@code mcp} entry or a
 * trusted folder's {@code .mcp.json} binds to, and Jackson.
 */
package dev.lathe.core.config;
