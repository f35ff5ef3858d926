/**
 * Language servers in the core (DESIGN §14, issue 28): {@link dev.lathe.core.lsp.LanguageServers}, the core's view of one
 * project's servers (the {@code lsp} module builds them through its {@link dev.lathe.core.lsp.LanguageServers.Factory}),
 * and {@link dev.lathe.core.lsp.OpenLanguageServers}, which follows project instances, routes the tool-call pipeline's
 * diagnostics port to the calling session's project and offers the {@code lsp} tool. Imports the {@code lsp} module's
 * records, tools and toolcall's {@code ExtensionTools}.
 */
package dev.lathe.core.lsp;
