/**
 * The tool SPI ({@link dev.lathe.tools.Tool}, {@link dev.lathe.tools.ToolContext}) and what a tool declares about
 * itself ({@link dev.lathe.tools.Effect}, {@link dev.lathe.tools.PermissionSource}, {@link dev.lathe.tools.Truncation}
 * ends; its results' changed files and typed display data on {@link dev.lathe.tools.ToolResult}); the registry of the
 * tools offered ({@link dev.lathe.tools.ToolRegistry}: the built-ins, {@code plus} any others); the ports tools need
 * from the core and the host ({@link dev.lathe.tools.Permissions}, {@link dev.lathe.tools.Questions},
 * {@link dev.lathe.tools.Todos}, {@link dev.lathe.tools.Skills}, {@link dev.lathe.tools.Subagents},
 * {@link dev.lathe.tools.ProcessLauncher} for every process a tool starts ({@link dev.lathe.tools.WrappingLauncher}
 * when it wraps another, as a sandbox does), {@link dev.lathe.tools.Diagnostics} for
 * changed files); the path rules permission patterns follow ({@link dev.lathe.tools.ProjectPaths}, also used to ask
 * what a call would be checked for without running it); and the executor that turns a model's JSON arguments into a
 * tool's {@code Args} record ({@link dev.lathe.tools.ToolExecutor}). Imports protocol, the declarations of llm
 * ({@code ToolSpec}, {@code Cancellation}), Jackson, and {@code tools.builtin} only where
 * {@code ToolRegistry.builtins()} lists them.
 */
package dev.lathe.tools;
