package dev.lathe.protocol.api;

import java.util.List;
import java.util.Optional;

/**
 * Answer of {@code GET /modes?directory=}: the permission modes a prompt in that folder may ask for, in the order a client
 * cycles them (Shift+Tab: {@code default → acceptEdits → plan → auto}), and the one the folder's configuration starts
 * sessions in ({@code defaultMode}). {@code plan} is offered where the folder has the {@code plan} agent; {@code auto}
 * where the user's, managed or command-line settings name a classifier ({@code autoModel}) and the managed
 * {@code disableAutoApproval} does not turn it off; {@code autoOff} says why it is not offered, for a client to show.
 */
public record ModesInfo(List<PermissionMode> modes, PermissionMode start, Optional<String> autoModel, Optional<String> autoOff) {
    public ModesInfo {
        modes = List.copyOf(modes);
    }
}
