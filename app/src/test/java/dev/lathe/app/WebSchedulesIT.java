package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.protocol.api.ScheduleInfo;
import dev.lathe.testkit.TempWorkspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's schedules page (docs/schedules.md), in chromium against the packaged daemon: an empty list, a bad cron
 * refused in the server's words, a schedule added (cron, folder, message) and listed with its next run, the same
 * schedule in {@code lathe schedule list} with the escape sequence its message carries shown, never sent raw, and
 * Remove.
 */
class WebSchedulesIT {
    /** A message that would set the terminal's title if printed raw. */
    static final String MESSAGE = "Run the tests \u001b]0;pwned\u0007 and fix what fails";

    @TempDir Path home;
    TempWorkspace project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        project = TempWorkspace.create().write("README.md", "# Project\n").initGitRepo();
        web = WebBed.start(llm -> new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web")));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (web != null) web.close();
        } finally {
            if (project != null) project.close();
        }
    }

    @Test
    void addListAndRemoveASchedule() throws Exception {
        Page page = web.login(web.chromium.desktop(1280, 900));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Schedules")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Schedules"))).isVisible();
        assertThat(page.getByText("No schedules yet.")).isVisible();

        Locator form = page.locator("form.schedule-form");
        form.locator("input[name=cron]").fill("0 25 * * *");
        form.locator("input[name=directory]").fill(project.path().toString());
        form.locator("textarea[name=message]").fill(MESSAGE);
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add schedule")).click();
        assertThat(form.locator(".form-error")).containsText("cron field 2 (hour): 25 is out of range 0-23");

        form.locator("input[name=cron]").fill("0 3 * * 1-5");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add schedule")).click();
        Locator row = page.locator("table.schedules tbody tr");
        assertThat(row).hasCount(1);
        assertThat(row).containsText("0 3 * * 1-5");
        assertThat(row).containsText(project.path().toRealPath().toString());
        assertThat(page.getByText("; next run ")).isVisible();
        List<ScheduleInfo> listed;
        try (var api = web.api()) {
            listed = api.schedules();
        }
        assertThat(listed).singleElement().satisfies(s -> {
            assertThat(s.message()).isEqualTo(MESSAGE);
            assertThat(s.zone()).as("the browser's zone").isNotBlank();
            assertThat(s.nextRunAt()).isPresent();
        });

        // the same schedule in the terminal: its message's escape sequence is shown, never sent raw
        var list = web.lathe.run("schedule", "list");
        assertThat(list.exit()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains(listed.getFirst().id(), "Run the tests ␛]0;pwned").doesNotContain("\u001b", "\u0007");
        var json = web.lathe.run("schedule", "list", "--format", "json");
        assertThat(json.stdout().toLowerCase()).contains("\\u001b]0;pwned\\u0007").doesNotContain("\u001b");

        page.onceDialog(dialog -> dialog.accept());
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove " + listed.getFirst().id())).click();
        assertThat(page.getByText("No schedules yet.")).isVisible();
        try (var api = web.api()) {
            assertThat(api.schedules()).isEmpty();
        }
    }
}
