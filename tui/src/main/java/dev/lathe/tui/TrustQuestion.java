package dev.lathe.tui;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.TrustInfo;
import dev.lathe.protocol.api.TrustRequest;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;

/**
 * The trust question on first open (DESIGN §14, §18): in a folder that defines something that runs code or receives
 * secrets and is not trusted, the terminal UI says what was skipped, and — once, until the user answers — asks whether
 * to trust it. Escape leaves it unanswered (asked again next time); the answer applies from the next message.
 */
final class TrustQuestion {
    private TrustQuestion() {}

    static void askIfNeeded(Ui ui) {
        TrustInfo trust;
        try {
            trust = ui.api.trust(ui.directory);
        } catch (LatheException e) {
            return; // a server without trust, or a config error the first prompt reports
        }
        if (trust.trusted() || trust.skipped().isEmpty()) return;
        List<AttributedString> lines = new ArrayList<>();
        lines.add(ui.theme.paint(Role.WARNING, "⚠ This folder is not trusted: " + trust.folder()));
        for (TrustInfo.Skipped s : trust.skipped()) lines.add(ui.theme.paint(Role.MUTED, "  " + s.message()));
        ui.notice(lines);
        if (trust.answered()) return;
        var picker = new Picker<>("Trust this folder? What it defines can run code on this machine and receive your keys.",
                "enter choose · esc decide later", List.of(
                        new Picker.Item<>(Boolean.TRUE, "Yes, trust this folder", "as lathe trust does"),
                        new Picker.Item<>(Boolean.FALSE, "No, keep it untrusted", "not asked again; lathe trust later")), 2, false);
        ui.openPicker(picker, chosen -> answer(ui, (Boolean) chosen));
    }

    private static void answer(Ui ui, boolean trusted) {
        try {
            TrustInfo after = ui.api.setTrust(ui.directory, new TrustRequest(trusted));
            ui.notice(after.trusted() ? "Trusted " + after.folder() + ": what it defines applies from the next message."
                    : "Kept untrusted; run lathe trust in this folder to trust it later.");
        } catch (LatheException e) {
            ui.error("could not record the answer: " + e.getMessage());
        }
    }
}
