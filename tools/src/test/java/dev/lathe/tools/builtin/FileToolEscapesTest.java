package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.PermissionRejected;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file tools against real symbolic links (issue 23): a decision is made on the real path, and what is opened is
 * what was decided on. The permission fakes here decide like a rule set would ({@code read} denies {@code .env},
 * {@code external_directory} is rejected) or swap a file for a link while "asking", which is the race made
 * deterministic.
 */
class FileToolEscapesTest {
    static final String SECRET = "secret-contents-9f2a";

    @TempDir Path tmp;
    Path project;
    Path outside;
    final List<PermissionCheck> checks = new CopyOnWriteArrayList<>();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());

    @BeforeEach
    void setUp() throws IOException {
        project = Files.createDirectories(tmp.resolve("project")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret.txt"), SECRET + "\n");
        Files.writeString(project.resolve(".env"), "API_KEY=" + SECRET + "\n");
    }

    /** Like a project's rules: read denies .env, external_directory is refused, everything else allowed. */
    Permissions rules() {
        return check -> {
            checks.add(check);
            if (check.permission().equals("external_directory")) throw new PermissionRejected("external_directory rejected: " + check.patterns());
            if (check.permission().equals("read") && check.patterns().contains(".env")) throw new PermissionRejected("read denies .env");
        };
    }

    /** Allows everything, but before returning from the check of {@code permission} runs {@code swap}: the race, made certain. */
    Permissions swappingOn(String permission, Consumer<PermissionCheck> swap) {
        return check -> {
            checks.add(check);
            if (check.permission().equals(permission)) swap.accept(check);
        };
    }

    ToolContext ctx(Permissions permissions) {
        return ToolContext.builder(project, permissions).session("ses_x").call("call_1").output(tmp.resolve("out")).build();
    }

    String run(Permissions permissions, String tool, String json) { return executor.execute(tool, json, ctx(permissions)).output(); }

    void swapForLink(Path file, Path target) {
        try {
            Files.delete(file);
            Files.createSymbolicLink(file, target);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLinkInTheProjectToAFileOutsideIsOutside() throws IOException {
        Files.createSymbolicLink(project.resolve("notes.txt"), outside.resolve("secret.txt"));
        assertThatThrownBy(() -> run(rules(), "read", "{\"path\":\"notes.txt\"}")).isInstanceOf(PermissionRejected.class)
                .hasMessageNotContaining(SECRET);
        assertThat(checks).anySatisfy(c -> {
            assertThat(c.permission()).isEqualTo("external_directory");
            assertThat(c.patterns()).containsExactly(outside + "/*");
        });
        // the same link allowed out: the read is asked for with both names, saying where it leads
        checks.clear();
        assertThat(run(check -> checks.add(check), "read", "{\"path\":\"notes.txt\"}")).contains(SECRET);
        assertThat(checks).anySatisfy(c -> {
            assertThat(c.permission()).isEqualTo("read");
            assertThat(c.patterns()).containsExactly("notes.txt", outside.resolve("secret.txt").toString());
            assertThat(c.title()).contains("a link to " + outside.resolve("secret.txt"));
        });
    }

    @Test
    void aLinkOntoAReadDeniedFileIsThatFile() throws IOException {
        Files.createSymbolicLink(project.resolve("harmless.txt"), project.resolve(".env"));
        Files.createDirectories(project.resolve("docs"));
        Files.createSymbolicLink(project.resolve("docs/config"), Path.of("../.env"));
        for (String name : List.of("harmless.txt", "docs/config")) {
            assertThatThrownBy(() -> run(rules(), "read", "{\"path\":\"" + name + "\"}")).isInstanceOf(PermissionRejected.class)
                    .hasMessageNotContaining(SECRET);
        }
        assertThat(checks).filteredOn(c -> c.permission().equals("read")).allSatisfy(c -> assertThat(c.patterns()).contains(".env"));
    }

    @Test
    void aLinkedParentFolderTakesAWriteOutside() throws IOException {
        Files.createSymbolicLink(project.resolve("out"), outside);
        assertThatThrownBy(() -> run(rules(), "write", "{\"path\":\"out/new.txt\",\"content\":\"x\"}")).isInstanceOf(PermissionRejected.class);
        assertThatThrownBy(() -> run(rules(), "edit", "{\"path\":\"out/new2.txt\",\"oldString\":\"\",\"newString\":\"x\"}"))
                .isInstanceOf(PermissionRejected.class);
        assertThatThrownBy(() -> run(rules(), "apply_patch", "{\"patchText\":\"*** Begin Patch\\n*** Add File: out/new3.txt\\n+x\\n*** End Patch\"}"))
                .isInstanceOf(PermissionRejected.class);
        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(outside.resolve("new2.txt")).doesNotExist();
        assertThat(outside.resolve("new3.txt")).doesNotExist();
        assertThat(checks).filteredOn(c -> c.permission().equals("external_directory")).hasSize(3)
                .allSatisfy(c -> assertThat(c.patterns()).containsExactly(outside + "/*"));
    }

    @Test
    void aDanglingLinkIsJudgedByTheFileAWriteWouldCreate() throws IOException {
        Files.createSymbolicLink(project.resolve("later.txt"), outside.resolve("created.txt"));
        assertThatThrownBy(() -> run(rules(), "write", "{\"path\":\"later.txt\",\"content\":\"x\"}")).isInstanceOf(PermissionRejected.class);
        assertThat(outside.resolve("created.txt")).doesNotExist();
    }

    @Test
    void aLinkSwappedInDuringTheReadCheckIsNotFollowed() throws IOException {
        Path file = Files.writeString(project.resolve("a.txt"), "harmless\n");
        var swapping = swappingOn("read", _ -> swapForLink(file, outside.resolve("secret.txt")));
        assertThatThrownBy(() -> run(swapping, "read", "{\"path\":\"a.txt\"}")).isInstanceOf(ToolFailure.class).hasMessageNotContaining(SECRET);
    }

    @Test
    void aLinkSwappedInDuringTheWriteCheckIsNotFollowed() throws IOException {
        Path file = Files.writeString(project.resolve("a.txt"), "old\n");
        Path victim = Files.writeString(outside.resolve("victim.txt"), "untouched\n");
        var swapping = swappingOn("edit", _ -> swapForLink(file, victim));
        assertThatThrownBy(() -> run(swapping, "write", "{\"path\":\"a.txt\",\"content\":\"overwritten\"}")).isInstanceOf(ToolFailure.class);
        assertThat(victim).hasContent("untouched");
    }

    @Test
    void aLinkSwappedInDuringTheEditCheckIsNotFollowed() throws IOException {
        Path file = Files.writeString(project.resolve("a.txt"), "old\n");
        Path victim = Files.writeString(outside.resolve("victim.txt"), "old\n");
        var swapping = swappingOn("edit", _ -> swapForLink(file, victim));
        assertThatThrownBy(() -> run(swapping, "edit", "{\"path\":\"a.txt\",\"oldString\":\"old\",\"newString\":\"new\"}")).isInstanceOf(ToolFailure.class);
        assertThat(victim).hasContent("old");
    }

    @Test
    void aLinkSwappedInDuringThePatchCheckIsNotFollowed() throws IOException {
        Path file = Files.writeString(project.resolve("a.txt"), "old\n");
        Path victim = Files.writeString(outside.resolve("victim.txt"), "old\n");
        var swapping = swappingOn("edit", _ -> swapForLink(file, victim));
        String patch = "*** Begin Patch\\n*** Update File: a.txt\\n@@\\n-old\\n+new\\n*** End Patch";
        assertThatThrownBy(() -> run(swapping, "apply_patch", "{\"patchText\":\"" + patch + "\"}")).isInstanceOf(ToolFailure.class);
        assertThat(victim).hasContent("old");
    }

    /**
     * The window after the tool's last check and before its open, raced for real: a thread flips a parent folder between
     * the project's own folder and a link to an outside folder holding a file of the same name while the read tool reads
     * through it. Every read gives the project's file or fails; none gives the outside file's bytes.
     */
    @Test
    void aParentFolderFlippedToALinkWhileReadsRunNeverLeaksTheOutsideFile() throws Exception {
        Path sub = Files.createDirectories(project.resolve("sub"));
        Files.writeString(sub.resolve("a.txt"), "plain\n");
        Files.writeString(outside.resolve("a.txt"), SECRET + "\n");
        Path parked = project.resolve("sub-parked");
        // rules that allow the read and refuse leaving the project, as a user's would
        Permissions allowInside = check -> {
            if (check.permission().equals("external_directory")) throw new PermissionRejected("external_directory rejected");
        };
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread flipper = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try {
                    Files.move(sub, parked);
                    Files.createSymbolicLink(sub, outside);
                    holdForAMoment();
                    Files.delete(sub);
                    Files.move(parked, sub);
                    // the plain state held for a random moment too, or a flipper with a core of its own never lets
                    // a read through and the test proves nothing
                    holdForAMoment();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        });
        int leaks = 0, plain = 0;
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        try {
            for (int i = 0; i < 4000 && System.nanoTime() < until && (i < 500 || plain < 20); i++) {
                try {
                    String out = run(allowInside, "read", "{\"path\":\"sub/a.txt\"}");
                    if (out.contains(SECRET)) leaks++;
                    if (out.contains("plain")) plain++;
                } catch (RuntimeException refused) {
                    if (String.valueOf(refused.getMessage()).contains(SECRET)) leaks++;
                }
            }
        } finally {
            stop.set(true);
            flipper.join();
        }
        assertThat(leaks).as("reads that gave the outside file's bytes").isZero();
        assertThat(plain).as("reads that got through the race at all").isPositive();
    }

    /** Up to a fifth of a millisecond: about one read's time, so flips land both between reads and inside them. */
    private static void holdForAMoment() {
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
    }

    @Test
    void aParentFolderSwappedForALinkDuringTheCheckIsNotFollowed() throws IOException {
        Path sub = Files.createDirectories(project.resolve("sub"));
        Files.writeString(sub.resolve("a.txt"), "old\n");
        Path victim = Files.writeString(outside.resolve("a.txt"), "old\n");
        var swapping = swappingOn("edit", _ -> {
            try {
                Files.move(sub, project.resolve("sub-moved"));
                Files.createSymbolicLink(sub, outside);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThatThrownBy(() -> run(swapping, "edit", "{\"path\":\"sub/a.txt\",\"oldString\":\"old\",\"newString\":\"new\"}"))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("changed into a link");
        assertThat(victim).hasContent("old");
        // back as it was, then the same swap while a read is being asked for
        Files.delete(sub);
        Files.move(project.resolve("sub-moved"), sub);
        Files.writeString(victim, SECRET + "\n");
        var reading = swappingOn("read", _ -> {
            try {
                Files.move(sub, project.resolve("sub-moved-again"));
                Files.createSymbolicLink(sub, outside);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThatThrownBy(() -> run(reading, "read", "{\"path\":\"sub/a.txt\"}")).isInstanceOf(ToolFailure.class).hasMessageNotContaining(SECRET);
    }

    @Test
    void aClimbingGlobFindsNothingOutsideItsRoot() throws IOException {
        Files.writeString(project.resolve("in.txt"), "x\n");
        for (Search search : searches()) {
            var glob = new GlobTool(search);
            assertThatThrownBy(() -> glob.run(new GlobTool.Args("../**", Optional.empty()), ctx(rules()))).isInstanceOf(ToolFailure.class)
                    .hasMessageContaining("climbs out");
            assertThatThrownBy(() -> glob.run(new GlobTool.Args("**/../../outside/*", Optional.empty()), ctx(rules()))).isInstanceOf(ToolFailure.class);
            // an absolute pattern naming a folder outside cannot leave the search folder either
            String abs = glob.run(new GlobTool.Args(outside + "/*", Optional.empty()), ctx(rules())).output();
            assertThat(abs).doesNotContain(outside.toString());
            // an absolute pattern under the root is the same as the relative one
            assertThat(glob.run(new GlobTool.Args(project + "/*.txt", Optional.empty()), ctx(rules())).output())
                    .isEqualTo(project.resolve("in.txt").toString());
            var grep = new GrepTool(search);
            assertThatThrownBy(() -> grep.run(new GrepTool.Args("secret", Optional.empty(), Optional.of("../outside/*")), ctx(rules())))
                    .isInstanceOf(ToolFailure.class);
        }
    }

    @Test
    void searchesThroughALinkedFolderAreOutside() throws IOException {
        Files.createSymbolicLink(project.resolve("linked"), outside);
        for (Search search : searches()) {
            checks.clear();
            // the walk does not follow the link: nothing outside is found from the project
            assertThat(new GlobTool(search).run(new GlobTool.Args("**/*", Optional.empty()), ctx(rules())).output()).doesNotContain("secret.txt");
            assertThat(new GrepTool(search).run(new GrepTool.Args(SECRET, Optional.empty(), Optional.empty()), ctx(rules())).output())
                    .doesNotContain("secret.txt");
            // naming the link as the folder to search is searching outside: external_directory decides
            assertThatThrownBy(() -> new GlobTool(search).run(new GlobTool.Args("*", Optional.of("linked")), ctx(rules())))
                    .isInstanceOf(PermissionRejected.class);
            assertThatThrownBy(() -> new GrepTool(search).run(new GrepTool.Args(SECRET, Optional.of("linked"), Optional.empty()), ctx(rules())))
                    .isInstanceOf(PermissionRejected.class);
            assertThatThrownBy(() -> new ListTool(search).run(new ListTool.Args(Optional.of("linked"), Optional.empty()), ctx(rules())))
                    .isInstanceOf(PermissionRejected.class);
            assertThat(checks).filteredOn(c -> c.permission().equals("external_directory")).hasSize(3);
        }
    }

    static List<Search> searches() {
        return Ripgrep.available() ? List.of(new JavaSearch(), new RipgrepSearch()) : List.of(new JavaSearch());
    }
}
