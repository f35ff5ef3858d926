package dev.lathe.lsp;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.eclipse.lsp4j.ApplyWorkspaceEditParams;
import org.eclipse.lsp4j.ApplyWorkspaceEditResponse;
import org.eclipse.lsp4j.ConfigurationParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.RegistrationParams;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.UnregistrationParams;
import org.eclipse.lsp4j.WorkDoneProgressCreateParams;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.services.LanguageClient;

/**
 * Lathe's side of one server connection: the requests and notifications a server sends its client. Diagnostics go to
 * {@code publish}; everything else is answered so the server carries on (an empty configuration section, a
 * registration accepted, a workspace edit refused: Lathe changes files only through its tools).
 */
final class ServerClient implements LanguageClient {
    private final Consumer<PublishDiagnosticsParams> publish;
    private final WorkspaceFolder folder;

    ServerClient(Consumer<PublishDiagnosticsParams> publish, WorkspaceFolder folder) {
        this.publish = publish;
        this.folder = folder;
    }

    @Override public void publishDiagnostics(PublishDiagnosticsParams diagnostics) { publish.accept(diagnostics); }

    @Override public void telemetryEvent(Object object) {}

    @Override public void showMessage(MessageParams messageParams) {}

    @Override public void logMessage(MessageParams message) {}

    @Override public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams requestParams) {
        return CompletableFuture.completedFuture(null);
    }

    @Override public CompletableFuture<List<Object>> configuration(ConfigurationParams params) {
        // no settings of our own: an empty section for each item lets a server use its defaults (pyright asks)
        List<Object> sections = new ArrayList<>();
        params.getItems().forEach(_ -> sections.add(new JsonObject()));
        return CompletableFuture.completedFuture(sections);
    }

    @Override public CompletableFuture<List<WorkspaceFolder>> workspaceFolders() {
        return CompletableFuture.completedFuture(List.of(folder));
    }

    @Override public CompletableFuture<Void> registerCapability(RegistrationParams params) {
        return CompletableFuture.completedFuture(null);
    }

    @Override public CompletableFuture<Void> unregisterCapability(UnregistrationParams params) {
        return CompletableFuture.completedFuture(null);
    }

    @Override public CompletableFuture<Void> createProgress(WorkDoneProgressCreateParams params) {
        return CompletableFuture.completedFuture(null);
    }

    @Override public CompletableFuture<ApplyWorkspaceEditResponse> applyEdit(ApplyWorkspaceEditParams params) {
        ApplyWorkspaceEditResponse refused = new ApplyWorkspaceEditResponse(false);
        refused.setFailureReason("Lathe changes files only through its own tools");
        return CompletableFuture.completedFuture(refused);
    }
}
