/**
 * Language servers as a first-class part of the tool path (DESIGN §14, issue 28): an LSP client (LSP4J) implementing
 * the {@code dev.lathe.tools.Diagnostics} port and the {@code lsp} tool. Imports tools and protocol (DESIGN §2); the
 * core binds {@link dev.lathe.lsp.LspSettings} from config and wires one set of servers per project instance.
 */
package dev.lathe.lsp;
