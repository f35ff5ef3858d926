package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web UI's side of parallel sessions (DESIGN §19) in chromium against the packaged jar's server: "New session"
 * offers "In a new worktree", and the board groups a repository's sessions (main checkout and worktrees) under the
 * repository, each row naming its branch. Found by accessible names; the run writes the board's screenshot the docs
 * show ({@code docs/screenshots/worktree-board.png}).
 */
class WebWorktreesIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;
    WebBed web;
    /** Holds the repository {@code shop-api} (a readable group name for the screenshot). */
    TempWorkspace holder;
    Path main;
    TempWorkspace plain;

    @BeforeEach
    void start() throws Exception {
        holder = TempWorkspace.create();
        holder.write("shop-api/README.md", "# shop-api\n");
        main = holder.resolve("shop-api");
        for (String[] args : List.of(new String[] {"init", "-q", "-b", "main"}, new String[] {"add", "-A"}, new String[] {"commit", "-q", "-m", "initial"})) {
            holder.git(concat(new String[] {"-C", main.toString()}, args));
        }
        plain = TempWorkspace.create();
        plain.write("notes.txt", "no git here\n");
        web = WebBed.start(llm -> {
            llm.respondWith(r -> {
                // the subagent writes a file, so its worktree is kept for a merge
                if (r.system().contains("general-purpose agent") && r.lastUserText().contains("CHANGES.md")) {
                    return r.toolResult("w1").isEmpty()
                            ? Turn.of(Step.toolCall("w1", "write", "{\"path\":\"CHANGES.md\",\"content\":\"- a parser\\n\"}"))
                            : Turn.of(Step.text("Noted."));
                }
                // a session that hands its work to a subagent in a worktree of its own (isolation: worktree)
                if (!r.system().contains("general-purpose agent") && r.lastUserText().contains("changelog") && r.toolResult("k1").isEmpty()) {
                    return Turn.of(Step.toolCall("k1", "task", "{\"description\":\"Write the changelog\",\"prompt\":\"Write CHANGES.md\","
                            + "\"agent\":\"general\",\"isolation\":\"worktree\"}"));
                }
                return Turn.of(Step.text("Noted.")).usage(12_000, 300, 9_000, 800);
            });
            ObjectNode config = (ObjectNode) JSON.readTree(Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"));
            config.set("permission", JSON.readTree("{\"*\": \"allow\", \"edit\": \"allow\"}"));
            return new Lathe(home, JSON.writeValueAsString(config));
        });
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (web != null) web.close();
        } finally {
            if (holder != null) holder.close();
            if (plain != null) plain.close();
        }
    }

    @Test
    void newSessionInANewWorktreeAndTheBoardGroupsTheRepositorysSessionsWithTheirBranches() throws Exception {
        String name = "shop-api";
        SessionId mainSession;
        try (var api = web.api()) {
            mainSession = api.createSession(new CreateSessionRequest(main.toString(), Optional.of("Review the open issues"), Optional.empty(),
                    Optional.empty(), Optional.empty())).id();
            api.prompt(mainSession, PromptRequest.text("Review the open issues"));
        }
        BrowserContext context = web.chromium.desktop(1280, 760);
        Page page = web.login(context);
        assertThat(sessionLink(page, "Review the open issues")).isVisible();

        // the repository group's "New": a session in a new worktree named parser
        button(page, "New session in " + name).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("New session"));
        assertThat(dialog.getByRole(AriaRole.COMBOBOX, new Locator.GetByRoleOptions().setName("Folder"))).hasValue(main.toString());
        dialog.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName(Pattern.compile("^Title"))).fill("Rewrite the parser");
        dialog.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("In a new worktree").setExact(true)).check();
        dialog.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName(Pattern.compile("^Worktree name"))).fill("parser");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create session").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile(".*#/session/ses_.*"));
        Path parser = main.resolve(".lathe/worktrees/parser");
        assertThat(holder.git("-C", parser.toString(), "rev-parse", "--abbrev-ref", "HEAD").strip()).isEqualTo("lathe/parser");
        Message.send(page, "Start with the tokenizer");

        // a second one with a generated name, prompted, so the board shows both at work
        page.navigate(page.url().replaceAll("#.*$", "") + "#/");
        button(page, "New session in " + name).click();
        dialog.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName(Pattern.compile("^Title"))).fill("Update the API docs");
        dialog.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("In a new worktree").setExact(true)).check();
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create session").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile(".*#/session/ses_.*"));
        Message.send(page, "List the endpoints");

        List<Session> sessions;
        try (var api = web.api()) {
            sessions = api.sessions(main.toString());
        }
        assertThat(sessions).hasSize(3);
        Session docs = sessions.stream().filter(s -> s.title().equals("Update the API docs")).findFirst().orElseThrow();
        String docsBranch = docs.worktree().orElseThrow().branch();
        assertThat(docsBranch).matches("lathe/[a-z]+-[a-z]+");
        assertThat(docs.directory()).startsWith(main.resolve(".lathe/worktrees").toString());
        assertThat(holder.git("-C", main.toString(), "status", "--porcelain")).as("the main checkout is untouched").isEmpty();

        // the board: one group for the repository, holding all three, each row naming its branch
        page.navigate(page.url().replaceAll("#.*$", "") + "#/");
        Locator group = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Project " + name).setExact(true));
        assertThat(group).isVisible();
        assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName(Pattern.compile("^Project ")))).hasCount(1);
        assertThat(group.locator("[data-session]")).hasCount(3);
        assertThat(row(group, "Review the open issues")).containsText("Branch main");
        assertThat(row(group, "Rewrite the parser")).containsText("Branch lathe/parser");
        assertThat(row(group, "Rewrite the parser")).containsText("worktree");
        assertThat(row(group, "Update the API docs")).containsText("Branch " + docsBranch);
        for (String title : List.of("Review the open issues", "Rewrite the parser", "Update the API docs")) {
            assertThat(row(group, title).locator("[data-status]").first()).hasAttribute("data-status", "idle");
        }
        // the sidebar lists the repository once, not each worktree's folder
        Locator projects = page.getByRole(AriaRole.COMPLEMENTARY, new Page.GetByRoleOptions().setName("Projects").setExact(true));
        assertThat(projects.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(Pattern.compile("^" + regex(name) + "\\b")))).hasCount(1);
        Path shots = Files.createDirectories(Path.of(System.getProperty("lathe.docs", "../docs")).resolve("screenshots"));
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("worktree-board.png")).setAnimations(ScreenshotAnimations.DISABLED));

        // a subagent in a worktree of its own: its row, under its parent's, names its branch as a session's does
        try (var api = web.api()) {
            api.prompt(mainSession, PromptRequest.text("Hand the changelog to a subagent"));
        }
        Locator child = row(group, "Write the changelog");
        assertThat(child).hasClass(Pattern.compile("\\brow-child\\b"));
        assertThat(child).containsText(Pattern.compile("Branch lathe/general-\\w+"));
        assertThat(child).containsText("worktree");
        // and the parent's task call names it too, where the work was handed over, once the subagent's turn and its
        // worktree's report are done (git on a busy machine: longer than one assertion's wait)
        try (var api = web.api()) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
            List<String> asked = new java.util.ArrayList<>();
            while (!(api.statuses(main.toString()).getOrDefault(mainSession, dev.lathe.protocol.session.SessionStatus.IDLE)
                    instanceof dev.lathe.protocol.session.SessionStatus.Idle)) {
                // an ask the rules leave open (in the subagent's worktree) is answered, as a user would
                for (Session s : api.sessions(main.toString())) {
                    for (var ask : api.permissions(s.directory())) {
                        asked.add(ask.permission() + " " + ask.patterns());
                        api.replyPermission(ask.id(), dev.lathe.protocol.api.PermissionReplyRequest.of(dev.lathe.protocol.event.PermissionReply.ONCE));
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the task never ended: " + api.statuses(main.toString()) + "; asked: " + asked + "; sessions: "
                            + api.sessions(main.toString()).stream().map(x -> x.title() + " " + x.directory()).toList() + "; model requests: "
                            + web.llm.requests().stream().map(q -> q.lastUserText() + " / " + q.system().contains("general-purpose agent")).toList()
                            + "; server log: " + tail(home.resolve("state/lathe/server.log")));
                }
                Thread.sleep(200);
            }
        }
        row(group, "Review the open issues").getByRole(AriaRole.LINK).first().click();
        Locator task = page.locator("section.tool").filter(new Locator.FilterOptions().setHas(page.locator(".tool-name", new Page.LocatorOptions().setHasText("task"))));
        assertThat(task).containsText(Pattern.compile("on branch lathe/general-\\w+"));

        // a folder that is no git repository: the dialog says so, and no session is made
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New session").setExact(true)).first().click();
        dialog.getByRole(AriaRole.COMBOBOX, new Locator.GetByRoleOptions().setName("Folder")).fill(plain.path().toString());
        dialog.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("In a new worktree").setExact(true)).check();
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create session").setExact(true)).click();
        assertThat(dialog.getByRole(AriaRole.ALERT)).containsText("not a git repository");
        try (var api = web.api()) {
            assertThat(api.sessions(plain.path().toString())).isEmpty();
        }
        assertThat(plain.resolve(".lathe")).doesNotExist();
    }

    @Test
    void aWorktreeAWorktreeCreateHookMadeIsTheNewSessionsAndTheBoardGroupsItWithItsFolder() throws Exception {
        // a folder of another version control system: its trusted project hook makes the checkout elsewhere and is told
        // the new session's id (Claude Code's contract); the session records the folder as its worktree
        Path made = Files.createDirectories(home.resolve("checkouts")).toRealPath();
        Path vcs = Files.createDirectories(holder.resolve("ledger"));
        Files.writeString(vcs.resolve("notes.txt"), "trunk\n");
        Files.createDirectories(vcs.resolve(".claude"));
        Files.writeString(vcs.resolve(".claude/make.sh"), """
                input=$(cat)
                printf '%s\\n' "$input" > MADE/input.json
                name=$(printf '%s' "$input" | sed -n 's/.*"name":"\\([^"]*\\)".*/\\1/p')
                mkdir -p "MADE/$name" && cp VCS/notes.txt "MADE/$name/" && echo "MADE/$name"
                """.replace("MADE", made.toString()).replace("VCS", vcs.toString()));
        Files.writeString(vcs.resolve(".claude/settings.json"), "{\"hooks\": {\"WorktreeCreate\": [{\"hooks\": [{\"type\": \"command\", "
                + "\"command\": \"bash " + vcs.resolve(".claude/make.sh") + "\"}]}]}}");
        var trusted = web.lathe.run("trust", "--dir", vcs.toString());
        assertThat(trusted.exit()).as(trusted.stderr()).isZero();

        Page page = web.login(web.chromium.desktop(1280, 760));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New session").setExact(true)).first().click();
        Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("New session"));
        dialog.getByRole(AriaRole.COMBOBOX, new Locator.GetByRoleOptions().setName("Folder")).fill(vcs.toString());
        dialog.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName(Pattern.compile("^Title"))).fill("Close the books");
        dialog.getByRole(AriaRole.CHECKBOX, new Locator.GetByRoleOptions().setName("In a new worktree").setExact(true)).check();
        dialog.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName(Pattern.compile("^Worktree name"))).fill("q4");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create session").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile(".*#/session/ses_.*"));
        Message.send(page, "Sum the ledger");

        List<Session> sessions;
        try (var api = web.api()) {
            sessions = api.sessions(vcs.toString());
        }
        assertThat(sessions).as("listed with the folder it was started from").hasSize(1);
        Session s = sessions.getFirst();
        assertThat(s.directory()).isEqualTo(made.resolve("q4").toString());
        assertThat(s.worktree().orElseThrow().name()).isEqualTo("q4");
        assertThat(s.worktree().orElseThrow().mainCheckout()).isEqualTo(vcs.toRealPath().toString());
        assertThat(page.url()).endsWith(s.id().value());
        JsonNode input = JSON.readTree(Files.readString(made.resolve("input.json")));
        assertThat(input.get("hook_event_name").asString()).isEqualTo("WorktreeCreate");
        assertThat(input.get("session_id").asString()).isEqualTo(s.id().value());
        assertThat(vcs.resolve(".lathe/worktrees")).as("only the record of the hook's folder").isDirectory();

        // the board groups it with its folder, not as a project of its own
        page.navigate(page.url().replaceAll("#.*$", "") + "#/");
        Locator group = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Project ledger").setExact(true));
        assertThat(row(group, "Close the books")).isVisible();
        assertThat(page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Project q4").setExact(true))).hasCount(0);
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (java.io.IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }

    /** {@code text} as a regular expression Java and the browser both read literally (JavaScript has no \Q...\E). */
    private static String regex(String text) {
        return text.replaceAll("[\\\\^$.|?*+()\\[\\]{}/]", "\\\\$0");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The board row of the session titled {@code title} in {@code group}. */
    private static Locator row(Locator group, String title) {
        return group.locator("[data-session]").filter(new Locator.FilterOptions().setHas(group.page().getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName(Pattern.compile("^" + regex(title))))));
    }

    private static Locator sessionLink(Page page, String title) {
        return page.locator("[data-session]").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(Pattern.compile("^" + regex(title))))
                .first();
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** The session view's prompt box (DESIGN §18: a textbox named "Message"; Enter sends), and the answer arriving. */
    private static final class Message {
        static void send(Page page, String text) {
            Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
            message.fill(text);
            message.press("Enter");
            assertThat(page.getByText("Noted.").first()).isVisible();
        }
    }
}
