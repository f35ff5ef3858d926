package dev.lathe.lsp;

import java.util.List;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DefinitionCapabilities;
import org.eclipse.lsp4j.DocumentSymbolCapabilities;
import org.eclipse.lsp4j.HoverCapabilities;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.PublishDiagnosticsCapabilities;
import org.eclipse.lsp4j.ReferencesCapabilities;
import org.eclipse.lsp4j.SymbolCapabilities;
import org.eclipse.lsp4j.SynchronizationCapabilities;
import org.eclipse.lsp4j.TextDocumentClientCapabilities;
import org.eclipse.lsp4j.WorkspaceClientCapabilities;

/**
 * What Lathe tells a server it can do. Servers send only what a client declares: typescript-language-server publishes
 * no diagnostics at all without {@code textDocument.publishDiagnostics} (docs/decisions.md, DEPENDENCIES.md), and
 * {@code versionSupport} makes the servers that can say which document version a publish is for.
 */
final class ClientCapabilitiesDeclared {
    private ClientCapabilitiesDeclared() {}

    static ClientCapabilities all() {
        TextDocumentClientCapabilities text = new TextDocumentClientCapabilities();
        text.setSynchronization(new SynchronizationCapabilities(false, false, true));
        PublishDiagnosticsCapabilities diagnostics = new PublishDiagnosticsCapabilities();
        diagnostics.setRelatedInformation(false);
        diagnostics.setVersionSupport(true);
        text.setPublishDiagnostics(diagnostics);
        text.setDefinition(new DefinitionCapabilities(false, true));
        text.setReferences(new ReferencesCapabilities(false));
        text.setHover(new HoverCapabilities(List.of(MarkupKind.MARKDOWN, MarkupKind.PLAINTEXT), false));
        DocumentSymbolCapabilities symbols = new DocumentSymbolCapabilities();
        symbols.setHierarchicalDocumentSymbolSupport(true);
        text.setDocumentSymbol(symbols);
        WorkspaceClientCapabilities workspace = new WorkspaceClientCapabilities();
        workspace.setSymbol(new SymbolCapabilities(false));
        workspace.setWorkspaceFolders(true);
        workspace.setConfiguration(true);
        ClientCapabilities capabilities = new ClientCapabilities();
        capabilities.setTextDocument(text);
        capabilities.setWorkspace(workspace);
        return capabilities;
    }
}
