package dev.lathe.tui;

import dev.lathe.tui.view.TranscriptPager;
import java.util.Optional;

/**
 * The views open over the prompt that take the keys before it: the transcript view (Ctrl-O), which also has the
 * screen, and a picker (opened by a command, changed by {@link PickerKeys}' steps). Owned by the UI's loop and changed
 * on its thread alone.
 */
final class OpenViews {
    private Optional<TranscriptPager> pager = Optional.empty();
    private Optional<PickerState> picker = Optional.empty();

    /** The transcript view while it is open. */
    Optional<TranscriptPager> pager() { return pager; }

    void openPager(TranscriptPager open) { pager = Optional.of(open); }

    void closePager() { pager = Optional.empty(); }

    /** The open picker, if any. */
    Optional<PickerState> picker() { return picker; }

    /** A picker opened, moved or closed (empty). */
    void picker(Optional<PickerState> now) { picker = now; }
}
