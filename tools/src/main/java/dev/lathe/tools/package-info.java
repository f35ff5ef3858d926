/**
 * The tool SPI ({@link dev.lathe.tools.Tool}, {@link dev.lathe.tools.ToolContext}), the ports tools need from the
 * core ({@link dev.lathe.tools.Permissions}), and the executor that turns a model's JSON arguments into a tool's
 * {@code Args} record. Imports protocol and the declarations of llm only.
 */
package dev.lathe.tools;
