/**
 * The tool SPI ({@link dev.lathe.tools.Tool}, {@link dev.lathe.tools.ToolContext}) and what a tool declares about
 * itself ({@link dev.lathe.tools.Effect}, {@link dev.lathe.tools.PermissionSource}, {@link dev.lathe.tools.Truncation}
 * ends; its results' changed files and typed display data on {@link dev.lathe.tools.ToolResult}); the ports tools need
 * from the core and the host ({@link dev.lathe.tools.Permissions}, {@link dev.lathe.tools.ProcessLauncher} for every
 * process a tool starts, {@link dev.lathe.tools.Diagnostics} for changed files); the path rules permission patterns follow
 * ({@link dev.lathe.tools.ProjectPaths}, also used to ask what a call would be checked for without running it); and the executor that turns a model's
 * JSON arguments into a tool's {@code Args} record. Imports protocol and the declarations of llm only.
 */
package dev.lathe.tools;
