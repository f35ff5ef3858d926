package dev.lathe.tui;

import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.tui.input.KeyEvent;

/** What the UI thread reacts to, from the key reader, the event stream, the timer and the terminal. */
sealed interface Signal {
    record Key(KeyEvent key) implements Signal {}

    record Server(EventEnvelope envelope) implements Signal {}

    /** The spinner's clock, and the moment to notice a missed idle event. */
    record Tick() implements Signal {}

    record Resized() implements Signal {}

    /** Standard input ended (the terminal went away). */
    record InputEnded() implements Signal {}

    /** A request that ran off the UI thread (it takes a while) has ended: its follow-up runs on the UI thread. */
    record Finished(Runnable followUp) implements Signal {}
}
