package dev.lathe.lsp;

import com.google.gson.JsonParser;
import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.lsp4j.ClientInfo;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * One running language server process and the LSP session with it: started and initialised by {@link #start}, the
 * documents it was shown with their versions ({@link #sync}), closed by {@link #close} ({@code shutdown}, {@code exit},
 * then the process and its children killed if they linger). {@link #ended} completes, with why, when the process
 * exits.
 */
final class ServerConnection implements AutoCloseable {
    static final long INITIALIZE_TIMEOUT_SECONDS = 60;
    static final long MAX_FILE_BYTES = 4L << 20;
    /**
     * LSP4J logs through java.util.logging to the console (an unknown notification such as tsserver's
     * {@code $/typescriptVersion} at INFO, a server's malformed message at WARNING): Lathe reports servers' failures in
     * their status instead, so its records are dropped. Held here because the logging framework keeps loggers weakly.
     */
    private static final java.util.logging.Logger LSP4J_LOG = java.util.logging.Logger.getLogger("org.eclipse.lsp4j");

    static {
        LSP4J_LOG.setLevel(java.util.logging.Level.OFF);
    }

    /** One document the server has open: the version and text it was last sent, and the publish it was sent after. */
    record Document(int version, String text, long sentAfter) {}

    private final String name;
    private final Process process;
    private final LanguageServer server;
    private final ExecutorService executor;
    private final StderrTail stderr;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final Map<Path, Document> documents = new ConcurrentHashMap<>();
    /**
     * The last version each file was sent with, shared by every process of one server: versions only grow, also
     * across a restart or a close and reopen, so a publish the previous process made for a higher version is never
     * taken for the answer to a new one.
     */
    private final Map<Path, Integer> versions;
    private volatile ServerCapabilities capabilities = new ServerCapabilities();

    private ServerConnection(String name, Process process, LanguageServer server, ExecutorService executor, StderrTail stderr,
            Map<Path, Integer> versions) {
        this.name = name;
        this.versions = versions;
        this.process = process;
        this.server = server;
        this.executor = executor;
        this.stderr = stderr;
    }

    /**
     * Starts {@code command} in {@code root} with {@code env} (the whole environment it gets) and completes the
     * {@code initialize} handshake; diagnostics it publishes go to {@code published}. Throws {@link StartFailure} with
     * a readable reason (the process could not start, it exited, it did not answer in time), having killed what it
     * started.
     */
    static ServerConnection start(LspServerSpec spec, List<String> command, Path root, Map<String, String> env,
            Consumer<PublishDiagnosticsParams> published, Map<Path, Integer> versions) throws StartFailure, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putAll(spec.env());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new StartFailure("cannot start " + String.join(" ", command) + ": " + e.getMessage());
        }
        StderrTail stderr = new StderrTail(process.getErrorStream(), spec.name());
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("lsp-" + spec.name() + "-", 0).factory());
        WorkspaceFolder folder = new WorkspaceFolder(root.toUri().toString(), root.getFileName() == null ? root.toString() : root.getFileName().toString());
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(new ServerClient(published, folder), process.getInputStream(),
                process.getOutputStream(), executor, null);
        ServerConnection connection = new ServerConnection(spec.name(), process, launcher.getRemoteProxy(), executor, stderr, versions);
        launcher.startListening();
        process.onExit().thenAccept(p -> connection.ended.complete("exited with code " + p.exitValue()));
        try {
            InitializeParams params = new InitializeParams();
            params.setProcessId((int) ProcessHandle.current().pid());
            params.setRootUri(folder.getUri());
            params.setWorkspaceFolders(List.of(folder));
            params.setClientInfo(new ClientInfo("lathe"));
            params.setCapabilities(ClientCapabilitiesDeclared.all());
            spec.initializationOptionsJson().ifPresent(json -> params.setInitializationOptions(JsonParser.parseString(json)));
            var result = CompletableFuture.anyOf(connection.server.initialize(params), connection.ended)
                    .get(INITIALIZE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!(result instanceof org.eclipse.lsp4j.InitializeResult init)) {
                throw new StartFailure(spec.name() + " " + result + connection.stderrSuffix());
            }
            if (init.getCapabilities() != null) connection.capabilities = init.getCapabilities();
            connection.server.initialized(new InitializedParams());
            return connection;
        } catch (TimeoutException e) {
            connection.kill();
            throw new StartFailure(spec.name() + " did not answer initialize within " + INITIALIZE_TIMEOUT_SECONDS + " s" + connection.stderrSuffix());
        } catch (ExecutionException e) {
            connection.kill();
            throw new StartFailure(spec.name() + " failed to initialize: " + e.getCause().getMessage() + connection.stderrSuffix());
        } catch (com.google.gson.JsonParseException e) {
            connection.kill();
            throw new StartFailure(spec.name() + ": its initialization options are not JSON: " + e.getMessage());
        } catch (InterruptedException | StartFailure e) {
            connection.kill();
            throw e;
        } catch (RuntimeException e) {
            // LSP4J reports a closed pipe (the server exited before reading) as an unchecked exception
            connection.kill();
            throw new StartFailure(spec.name() + " failed to start: " + e.getMessage() + connection.stderrSuffix());
        }
    }

    LanguageServer server() { return server; }

    ServerCapabilities capabilities() { return capabilities; }

    CompletableFuture<String> ended() { return ended; }

    String name() { return name; }

    /** The documents this server has open. */
    Map<Path, Document> documents() { return Map.copyOf(documents); }

    /**
     * Shows the server {@code file} as it is on disk: {@code didOpen} the first time, {@code didChange} (the whole
     * text, the next version) and {@code didSave} when it changed since, nothing when it did not; {@code didClose} when
     * it is gone. Returns the document the server now has, empty when the file is gone or not text.
     * {@code mark} gives the sequence number of the last publish so far.
     */
    synchronized Optional<Document> sync(Path file, java.util.function.LongSupplier mark) {
        String uri = file.toUri().toString();
        String text;
        try {
            // a huge (generated) file is no one's edit to check, and would stall the server
            text = Files.isRegularFile(file) && Files.size(file) <= MAX_FILE_BYTES
                    ? java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(FileGateway.anywhere().readAllBytes(file))).toString()
                    : null;
        } catch (MalformedInputException e) {
            text = null;
        } catch (IOException e) {
            text = null;
        }
        Document known = documents.get(file);
        if (text == null) {
            if (known != null) {
                documents.remove(file);
                server.getTextDocumentService().didClose(new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
            }
            return Optional.empty();
        }
        if (known != null && known.text().equals(text)) return Optional.of(known);
        long sentAfter = mark.getAsLong();
        Document now = new Document(versions.merge(file, 1, Integer::sum), text, sentAfter);
        if (known == null) {
            server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, Languages.of(file), now.version(), text)));
        } else {
            server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, now.version()),
                    List.of(new TextDocumentContentChangeEvent(text))));
            server.getTextDocumentService().didSave(new DidSaveTextDocumentParams(new TextDocumentIdentifier(uri)));
        }
        documents.put(file, now);
        return Optional.of(now);
    }

    /** Why the process ended, with the end of its stderr, for a status. */
    String endedReason() {
        return ended.getNow("stopped") + stderrSuffix();
    }

    private String stderrSuffix() {
        if (!process.isAlive()) stderr.awaitEnd(500);
        String tail = stderr.last(400);
        return tail.isEmpty() ? "" : " (stderr: " + tail + ")";
    }

    /** The process's id, for a test that kills it. */
    long pid() { return process.pid(); }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                server.shutdown().get(2, TimeUnit.SECONDS);
                server.exit();
                process.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // a server that does not shut down cleanly is killed below
            }
        }
        kill();
    }

    /** Kills the process and whatever it started (tsserver is a child of typescript-language-server). */
    private void kill() {
        // listed before the parent goes: its orphans are not its descendants any more
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
        executor.shutdownNow();
    }

    /** Why a server could not be started, readable as it is. */
    static final class StartFailure extends Exception {
        StartFailure(String message) { super(message, null, false, false); }
    }
}
