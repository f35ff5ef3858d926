package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.testkit.ImportFixtures;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import dev.lathe.testkit.TempWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's import offer (DESIGN §21, issue 46) in chromium against the packaged jar's daemon: a project folder
 * whose Claude Code and Codex sessions (the files the real tools wrote, testkit/import-fixtures) were never imported
 * shows them on the board with their tool, title, time and size; one is imported, then all, and they appear on the
 * board as sessions while the offer goes; a picture attached to an imported prompt shows in the session. Found by
 * accessible names; the run writes the screenshot the docs show
 * ({@code docs/screenshots/import-offer.png}).
 */
class WebImportIT {
    @TempDir Path home;
    WebBed web;
    TempWorkspace holder;
    Path project;

    @BeforeEach
    void start() throws Exception {
        holder = TempWorkspace.create();
        holder.write("shop-api/README.md", "# shop-api\n");
        project = holder.resolve("shop-api");
        Path claude = home.resolve("claude-config");
        Path codex = home.resolve("codex-home");
        ImportFixtures.claudeCode(claude, project);
        ImportFixtures.codex(codex, project);
        ImportFixtures.install("codex-image", codex, project);
        web = WebBed.start(llm -> {
            // the daemon reads the other tools' files with its own variables: a browser has none to send
            var lathe = new Lathe(home.resolve("lathe"), Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"))
                    .withEnv("CLAUDE_CONFIG_DIR", claude.toString()).withEnv("CODEX_HOME", codex.toString());
            Files.createDirectories(lathe.home());
            return lathe;
        });
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (web != null) web.close();
        } finally {
            if (holder != null) holder.close();
        }
    }

    @Test
    void theBoardOffersAFoldersSessionsOfOtherToolsAndImportsOneOrAll() throws Exception {
        try (var api = web.api()) {
            api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Plan the release"), Optional.empty(), Optional.empty(),
                    Optional.empty()));
        }
        Page page = web.login(web.chromium.desktop(1280, 760));
        Locator group = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Project shop-api").setExact(true));
        assertThat(group.locator("[data-session]")).hasCount(1);

        // three Claude Code sessions (the subagent's comes with its parent) and two Codex sessions
        Locator offer = page.getByRole(AriaRole.REGION, new Page.GetByRoleOptions().setName("Sessions from other tools in shop-api").setExact(true));
        Locator rows = offer.getByRole(AriaRole.LISTITEM);
        assertThat(rows).hasCount(5);
        assertThat(offer.getByRole(AriaRole.HEADING)).hasText("5 sessions from other tools in shop-api");
        assertThat(rows.filter(new Locator.FilterOptions().setHasText("Claude Code"))).hasCount(3);
        Locator codexRow = rows.filter(new Locator.FilterOptions().setHasText("Codex"))
                .filter(new Locator.FilterOptions().setHasText("Make a note file."));
        assertThat(codexRow).hasCount(1);
        assertThat(codexRow).containsText("[scenario:tools] Make a note file.");
        assertThat(codexRow).containsText(Pattern.compile("\\d+ messages"));
        assertThat(codexRow.locator("time")).hasAttribute("datetime", Pattern.compile("^20\\d\\d-"));
        Path shots = Files.createDirectories(Path.of(System.getProperty("lathe.docs", "../docs")).resolve("screenshots"));
        page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("import-offer.png")).setAnimations(ScreenshotAnimations.DISABLED));

        // one: it becomes a session on the board and leaves the offer
        offer.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Import Codex session [scenario:tools] Make a note file.").setExact(true))
                .click();
        assertThat(rows).hasCount(4);
        assertThat(group.locator("[data-session]")).hasCount(2);
        assertThat(group.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("[scenario:tools] Make a note file.").setExact(true)))
                .hasCount(1);

        // all the rest: the offer goes, the board holds them (the subagent's nested under its parent)
        offer.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Import all sessions from other tools in shop-api").setExact(true))
                .click();
        assertThat(offer).hasCount(0);
        assertThat(group.locator("[data-session]")).hasCount(7);
        assertThat(group.locator(".row-child")).hasCount(1);
        List<Session> stored;
        try (var api = web.api()) {
            stored = api.sessions(project.toString());
        }
        assertThat(stored).hasSize(7);
        assertThat(stored.stream().filter(s -> s.parentId().isPresent())).hasSize(1);

        // issue 71: Claude Code and Codex billed the imported tokens, Lathe did not: the board says so, not "$0.0000" or
        // "price unknown"; the session made here keeps its own cost
        Locator costs = group.locator("[data-session] .cell-cost");
        Locator notBilled = costs.filter(new Locator.FilterOptions().setHasText("imported (not billed by Lathe)"));
        assertThat(notBilled).hasCount(6);
        // said whole in the narrow column, not cut to "imported (not…"
        assertThat(notBilled.first().evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")).isEqualTo(true);
        assertThat(group.locator("[data-session]").filter(new Locator.FilterOptions().setHasText("Plan the release")).locator(".cell-cost"))
                .hasText("$0.00");
        assertThat(costs.filter(new Locator.FilterOptions().setHasText("price unknown"))).hasCount(0);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/imported-not-billed-board.png"))
                .setAnimations(ScreenshotAnimations.DISABLED));

        // a new page load offers nothing: everything was imported
        page.reload();
        assertThat(page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Connection").setExact(true))).hasText("live");
        assertThat(group.locator("[data-session]")).hasCount(7);
        page.waitForTimeout(1_000);
        assertThat(offer).hasCount(0);

        // the picture attached to the Codex prompt is shown with the prompt, as one attached in Lathe is
        group.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("[scenario:look] What is in this picture?").setExact(true)).click();
        assertThat(page.getByRole(AriaRole.IMG, new Page.GetByRoleOptions().setName("pic.png").setExact(true))).isVisible();
        assertThat(page.locator(".sv-cost")).hasText("imported (not billed by Lathe)");
        // its cost report too: the total and each imported answer
        page.locator(".sv-cost").click();
        Locator report = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Cost and tokens"));
        assertThat(report.locator(".report-lead")).containsText("imported (not billed by Lathe)");
        assertThat(report.locator("tbody tr").first()).containsText("imported (not billed by Lathe)");
        assertThat(report).not().containsText("price unknown");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/imported-not-billed-session.png"))
                .setAnimations(ScreenshotAnimations.DISABLED));
        page.keyboard().press("Escape");
        assertThat(report).hasCount(0);

        // a session moved here from a machine with an Anthropic key (lathe export, then import): its model has no key
        // here, so the prompt goes on with the folder's model, and the page says which and why, as the terminal UI and
        // lathe run do (decision 382); said once, it stays until dismissed
        SessionId moved;
        try (var api = web.api()) {
            moved = api.importSession(SessionExport.of(new Session(SessionId.next(), new ProjectId("prj_laptop"), project.toString(), Optional.empty(),
                    "Carried over from the laptop", "build", "anthropic/claude-sonnet-4-5", 1, 2, Optional.empty(), Usage.ZERO, 0, Optional.empty()),
                    List.of())).id();
        }
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + moved.value());
        web.llm.enqueue(Turn.of(Step.text("Carrying on here.")));
        Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
        message.fill("Where were we?");
        message.press("Enter");
        assertThat(page.getByText("Carrying on here.")).isVisible();
        // a Lathe export read back is no other harness's: its cost is Lathe's own
        assertThat(page.locator(".sv-cost")).not().containsText("imported");
        Locator notice = page.locator(".sv-flash");
        assertThat(notice).containsText("the session's model anthropic/claude-sonnet-4-5 cannot be used here");
        assertThat(notice).containsText("it goes on with the folder's configured model, fake/fake-model");
        assertThat(notice).not().containsText("sk-web");
        assertThat(notice.locator(".flash-notice")).hasCount(1); // kept until dismissed, unlike a passing note
        notice.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Dismiss")).click();
        web.llm.enqueue(Turn.of(Step.text("Still here.")));
        message.fill("And now?");
        message.press("Enter");
        assertThat(page.getByText("Still here.")).isVisible();
        assertThat(notice).not().containsText("cannot be used here");
    }
}
