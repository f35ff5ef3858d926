/**
 * Language servers for a project (DESIGN §14 "LSP", issue 28): diagnostics of the files a call changed, appended to
 * its result (the {@code dev.lathe.tools.Diagnostics} port, DESIGN §18 format), and the {@code lsp} tool (definition,
 * references, hover, symbols, diagnostics). Built on LSP4J. Imports tools and protocol (DESIGN §2); the core wires it in.
 *
 * <p>This package's public API: {@link dev.lathe.lsp.LspServerSpec} (one server: command, extensions, root markers),
 * {@link dev.lathe.lsp.BuiltinServers} (the built-in table and how a command is found), {@link dev.lathe.lsp.LspSettings}
 * (what config gives), {@link dev.lathe.lsp.ProjectLanguageServers} (one per project instance: starts servers lazily,
 * restarts them with backoff, answers diagnostics), {@link dev.lathe.lsp.LspEvent}, {@link dev.lathe.lsp.LspServerStatus},
 * {@link dev.lathe.lsp.LspProblem} and {@link dev.lathe.lsp.LspTool}. Everything else (the LSP4J client, one server's
 * lifecycle, the documents it was shown and the diagnostics it published) is package-private.
 */
package dev.lathe.lsp;
