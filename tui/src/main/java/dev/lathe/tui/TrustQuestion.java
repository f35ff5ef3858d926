package dev.lathe.tui;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jline.utils.AttributedString;

/**
 * The trust question on first open (DESIGN §14, §18): in a folder that defines something that runs code or receives
 * secrets and is not trusted, the terminal UI says what was skipped, and — once, until the user answers — asks whether
 * to trust it. Escape leaves it unanswered (asked again next time); the answer applies from the next message.
 */
final class TrustQuestion {
    /** What the trust question needs of the UI: a command's needs, and a picker for the answer. */
    interface Host extends CommandHost {
        void openPicker(Picker<?> picker, Consumer<Object> onChoice);
    }

    private TrustQuestion() {}

    static void askIfNeeded(Host ui) {
        TrustInfo trust;
        try {
            trust = ui.api().trust(ui.directory());
        } catch (LatheException e) {
            return; // a server without trust, or a config error the first prompt reports
        }
        if (trust.trusted()) {
            // a value no project file may set (Claude Code's bypassPermissions) is said whatever the folder's trust
            List<AttributedString> never = trust.skipped().stream().filter(TrustInfo.Skipped::never)
                    .map(s -> ui.theme().paint(Role.WARNING, "⚠ " + s.warning())).toList();
            if (!never.isEmpty()) ui.notice(never);
            if (!trust.pending().isEmpty()) askToApprove(ui, trust);
            return;
        }
        if (trust.skipped().isEmpty()) return;
        List<AttributedString> lines = new ArrayList<>();
        lines.add(ui.theme().paint(Role.WARNING, "⚠ This folder is not trusted: " + trust.folder()));
        for (TrustInfo.Skipped s : trust.skipped()) lines.add(ui.theme().paint(Role.MUTED, "  " + s.message()));
        pendingLines(ui, trust, lines, "Trusting it allows:");
        ui.notice(lines);
        if (trust.answered()) return;
        // No first, so Enter alone keeps the folder as it is: trusting is a choice made after reading the list
        var picker = new Picker<>("Trust this folder? What it defines can run code on this machine and receive your keys.",
                "enter choose · esc decide later", List.of(
                        new Picker.Item<>(Boolean.FALSE, "No, keep it untrusted", "not asked again; lathe trust later"),
                        new Picker.Item<>(Boolean.TRUE, "Yes, trust this folder", "as lathe trust does")), 2, false);
        ui.openPicker(picker, chosen -> answer(ui, trust, (Boolean) chosen));
    }

    /**
     * A trusted folder whose hooks, MCP servers, ... were added or changed since it was trusted (DESIGN §18 "Trust
     * pins what it approved"): they are withheld until approved; the question lists each and defaults to No, which
     * leaves them withheld (asked again next time).
     */
    private static void askToApprove(Host ui, TrustInfo trust) {
        List<AttributedString> lines = new ArrayList<>();
        lines.add(ui.theme().paint(Role.WARNING, "⚠ Changed since you trusted " + trust.folder() + " (not run until you approve):"));
        // each held-back kind with what it would reach (DESIGN §30), then the items as lathe trust --show lists them
        for (TrustInfo.Skipped s : trust.skipped()) lines.add(ui.theme().paint(Role.MUTED, "  " + s.message()));
        pendingLines(ui, trust, lines, null);
        ui.notice(lines);
        var picker = new Picker<>("Approve what changed? It can run code on this machine and receive your keys.",
                "enter choose · esc decide later", List.of(
                        new Picker.Item<>(Boolean.FALSE, "No, keep them withheld", "asked again next time; lathe trust --show reviews"),
                        new Picker.Item<>(Boolean.TRUE, "Yes, approve them", "as lathe trust does")), 2, false);
        ui.openPicker(picker, chosen -> {
            if ((Boolean) chosen) answer(ui, trust, true);
            else ui.notice("Kept withheld; run lathe trust --show to review, lathe trust to approve.");
        });
    }

    /** One line per item pending approval, exactly as {@code lathe trust --show} prints it. */
    private static void pendingLines(Host ui, TrustInfo trust, List<AttributedString> lines, String heading) {
        if (trust.pending().isEmpty()) return;
        if (heading != null) lines.add(ui.theme().paint(Role.MUTED, "  " + heading));
        for (TrustInfo.Item i : trust.pending()) lines.add(new AttributedString("  " + String.format("%-8s", i.status()) + "  " + i.line()));
    }

    /** Records the answer to the question that showed {@code shown}: trusting approves exactly the items it listed. */
    private static void answer(Host ui, TrustInfo shown, boolean trusted) {
        try {
            List<String> approve = shown.pending().stream().map(TrustInfo.Item::hash).filter(java.util.Objects::nonNull).toList();
            TrustInfo after = ui.api().setTrust(ui.directory(), new TrustRequest(trusted, approve));
            ui.notice(after.trusted() ? "Trusted " + after.folder() + ": what it defines applies from the next message."
                    : "Kept untrusted; run lathe trust in this folder to trust it later.");
        } catch (LatheException e) {
            ui.error("could not record the answer: " + e.getMessage());
        }
    }
}
