package dev.lathe.tui;

import dev.lathe.tui.screen.AlternateScreen;
import dev.lathe.tui.screen.InlineScreen;
import java.util.concurrent.BlockingQueue;

/**
 * The terminal side of one UI: the inline screen under the scrollback, the full screen of the transcript view, the
 * terminal's notifications, and the queue every key, server event, tick and resize arrives on.
 */
record UiTerminal(InlineScreen screen, AlternateScreen fullScreen, TerminalNotices notices, BlockingQueue<Signal> signals) {}
