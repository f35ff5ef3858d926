package dev.lathe.app;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.testkit.TempWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A JDK AOT cache for {@code lathe serve}, recorded once per jar (it is kept beside the loop's other files while the
 * jar does not change): one server runs every kind of the loop's work to the end with {@code -XX:AOTCacheOutput} and
 * writes the cache when it stops. The cache the package phase records comes from {@code lathe run}, which never loads
 * the HTTP server, and a build with {@code -DskipAot} has none.
 */
final class ServeAotCache {
    private ServeAotCache() {}

    /** A fresh cache at {@code cache}, recording it first when needed; empty when recording failed (the loop runs without). */
    static Optional<Path> at(Path cache, Path home, String config, List<String> flags, CrashScript script) throws Exception {
        if (ServeFlags.isFresh(cache)) return Optional.of(cache);
        Files.deleteIfExists(cache);
        long began = System.nanoTime();
        var lathe = new Lathe(home, config).withJvmFlags(flags).withJvmFlags(List.of("-XX:AOTCacheOutput=" + cache));
        var serve = ServeProcess.start(lathe);
        try (var ws = TempWorkspace.create().write("notes.txt", "remember\n").write("src/app.txt", "alpha\nbeta\ngamma\n").initGitRepo()) {
            var ready = serve.awaitReady(Duration.ofSeconds(120));
            try (var client = HttpLatheClient.connect(ready.endpoint(), Optional.empty());
                 var _ = client.subscribe(EventFilter.ALL, 0, e -> {
                     if (e.event() instanceof Event.PermissionAsked a) {
                         Thread.ofVirtual().start(() -> client.replyPermission(a.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE)));
                     }
                 })) {
                var session = client.createSession(CreateSessionRequest.in(ws.path().toString())).id();
                var random = new Random(1);
                int n = 0;
                for (CrashScript.Kind kind : List.of(CrashScript.Kind.MULTI, CrashScript.Kind.PARALLEL, CrashScript.Kind.BASH_ASK,
                        CrashScript.Kind.WRITE_EDIT, CrashScript.Kind.PING)) {
                    var asked = client.prompt(session, PromptRequest.text(script.prompt("aot" + n++, kind, random, Duration.ofMillis(50)))).messageId();
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (client.messages(session).stream().noneMatch(m -> m.info() instanceof AssistantMessage a && a.parentId().equals(asked)
                            && a.completedAt().isPresent())) {
                        if (System.nanoTime() > deadline) throw new AssertionError("the AOT training turn did not finish");
                        Thread.sleep(20);
                    }
                }
            }
        } finally {
            // the cache is written while the JVM exits (a second JVM assembles it), which takes a while
            serve.stop(Duration.ofSeconds(180));
        }
        boolean ok = ServeFlags.isFresh(cache);
        System.out.printf("crash-loop: %s the serve AOT cache in %d ms%n", ok ? "recorded" : "could not record", (System.nanoTime() - began) / 1_000_000);
        return ok ? Optional.of(cache) : Optional.empty();
    }
}
