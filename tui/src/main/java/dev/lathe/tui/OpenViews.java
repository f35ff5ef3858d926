package dev.lathe.tui;

import dev.lathe.tui.view.Pager;
import java.util.Optional;

/**
 * The views open over the prompt that take the keys before it: the pager (the transcript view, Ctrl-O, or
 * {@code /help}), which also has the screen, a picker (opened by a command, changed by {@link PickerKeys}' steps) and the completion list under the input
 * ({@link CompletionList}'s state: opening a picker closes it). Owned by the UI's loop and changed on its thread alone.
 */
final class OpenViews {
    private Optional<Pager> pager = Optional.empty();
    private Optional<PickerState> picker = Optional.empty();
    private CompletionList.State completion = CompletionList.State.CLOSED;

    /** The pager while it is open. */
    Optional<Pager> pager() { return pager; }

    void openPager(Pager open) { pager = Optional.of(open); }

    void closePager() { pager = Optional.empty(); }

    /** The open picker, if any. */
    Optional<PickerState> picker() { return picker; }

    /** A picker opened, moved or closed (empty). */
    void picker(Optional<PickerState> now) { picker = now; }

    /** The completion list's word and list: closed when both are empty. */
    CompletionList.State completion() { return completion; }

    void completion(CompletionList.State now) { completion = now; }
}
