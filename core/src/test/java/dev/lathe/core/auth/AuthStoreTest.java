package dev.lathe.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthStoreTest {
    @TempDir Path tmp;

    @Test
    void keysAreSavedOwnerOnlyAndRemoved() throws Exception {
        var store = new AuthStore(tmp.resolve("data/auth.json"));
        store.save("openai", "sk-one");
        store.save("groq", "gsk-two");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        assertThat(new AuthStore(store.file()).key("openai")).contains("sk-one");
        assertThat(store.providers()).containsExactly("groq", "openai");
        assertThat(store.toString()).doesNotContain("sk-one");

        assertThat(store.remove("openai")).isTrue();
        assertThat(store.remove("openai")).isFalse();
        assertThat(store.key("openai")).isEmpty();
        assertThat(store.key("groq")).contains("gsk-two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        try (var files = Files.list(store.file().getParent())) {
            // no temp file left; the lock file every change takes stays (empty), as a lock file must
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("auth.json", "auth.json.lock");
        }
    }

    @Test
    void changesOfTwoProvidersAtOnceKeepBoth() throws Exception {
        Path file = tmp.resolve("data/auth.json");
        int each = 60;
        // a login and a renewal at once: each reads the whole file, changes its entry and writes it all back
        try (var pool = Executors.newFixedThreadPool(2)) {
            var writers = new ArrayList<Future<?>>();
            for (String who : List.of("a", "b")) {
                writers.add(pool.submit(() -> {
                    var store = new AuthStore(file); // its own instance, as each command or session has
                    for (int i = 0; i < each; i++) store.save(who + i, "key-" + who + i);
                    return null;
                }));
            }
            for (var w : writers) w.get();
        }
        assertThat(new AuthStore(file).providers()).as("no write lost another's entry").hasSize(2 * each);
    }

    @Test
    void whileLockedKeepsOtherChangesOutUntilItReturns() throws Exception {
        var store = new AuthStore(tmp.resolve("data/auth.json"));
        store.save("openai", "sk-old");
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                store.whileLocked(() -> {
                    inside.countDown();
                    release.await();
                    store.save("openai", "sk-renewed"); // the same thread may change it inside
                    return null;
                });
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        inside.await();
        Thread logout = Thread.ofVirtual().start(() -> new AuthStore(store.file()).remove("openai"));
        logout.join(300);
        assertThat(logout.isAlive()).as("the logout waits for the change under way").isTrue();
        release.countDown();
        holder.join(5_000);
        logout.join(5_000);
        assertThat(store.key("openai")).as("the logout came after, and stands").isEmpty();
    }
}
