/**
 * Script tools and Java plugins (DESIGN §14, issue 27): {@link dev.lathe.core.plugin.PluginTools} offers, as the turn
 * loop's {@code ExtensionTools}, the user's and each trusted project's script tools (executables with a
 * {@code lathe-tool:} JSON header, run through the launcher so the sandbox applies, JSON on stdin) and the tools of the
 * {@link dev.lathe.tools.plugin.LathePlugin}s of their plugin jars (one class loader per jar, every failure reported and
 * contained); and feeds the plugins' event listeners, each from its own bounded queue. Imports config ({@code LathePaths}),
 * trust, toolcall's {@code ExtensionTools}, the tool SPI and the plugin SPI, and {@code tools.builtin}'s child-process
 * helpers; nothing of the turn loop.
 */
package dev.lathe.core.plugin;
