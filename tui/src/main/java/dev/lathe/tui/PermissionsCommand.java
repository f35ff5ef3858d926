package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.tui.view.Picker;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code /permissions}: the folder's remembered "always" answers in a picker, Enter revokes the highlighted one;
 * {@code /permissions revoke ID} revokes at once. A revoke applies from the next tool call.
 */
final class PermissionsCommand {
    /** What the remembered answers need of the UI: a command's needs and a picker. */
    interface Host extends CommandHost {
        void openPicker(Picker<?> picker, Consumer<Object> onChoice);
    }

    private final Host ui;

    PermissionsCommand(Host ui) { this.ui = ui; }

    void run(String arguments) {
        String[] words = arguments.split("\\s+");
        if (words.length == 2 && words[0].equals("revoke")) {
            revoke(words[1]);
            return;
        }
        List<RememberedApproval> all = ui.api().approvals(ui.directory());
        if (all.isEmpty()) {
            ui.notice("No remembered answers in this folder: every ask the rules leave open is asked");
            return;
        }
        var picker = Picker.of("Remembered answers", "enter revoke · esc close", all, a -> a.permission() + "  " + a.pattern(),
                a -> scope(a) + " · " + a.id());
        ui.openPicker(picker, chosen -> revoke(((RememberedApproval) chosen).id()));
    }

    private void revoke(String id) {
        try {
            RememberedApproval gone = ui.api().revokeApproval(ui.directory(), id);
            ui.notice("Revoked " + gone.permission() + " " + gone.pattern() + " (" + scope(gone) + "): asked again from the next call");
        } catch (RuntimeException e) {
            ui.error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static String scope(RememberedApproval a) {
        return switch (a.scope()) {
            case PROJECT -> "this project";
            case SESSION -> "session " + a.sessionId().map(SessionId::value).orElse("");
        };
    }
}
