/**
 * The tool SPI ({@link dev.lathe.tools.Tool}, {@link dev.lathe.tools.ToolContext}), the ports tools need from the
 * core ({@link dev.lathe.tools.Permissions}), the path rules permission patterns follow
 * ({@link dev.lathe.tools.ProjectPaths}, also used to ask what a call would be checked for without running it), and
 * the executor that turns a model's JSON arguments into a tool's {@code Args} record. Imports protocol and the
 * declarations of llm only.
 */
package dev.lathe.tools;
