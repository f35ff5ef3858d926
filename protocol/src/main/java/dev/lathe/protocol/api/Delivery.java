package dev.lathe.protocol.api;

/**
 * How a prompt sent to a busy session reaches it (DESIGN §18 "Steering"); on an idle session each simply starts a turn.
 * The JSON values are the constants' names.
 */
public enum Delivery {
    /** After the running turn ends, as a turn of its own (the default). */
    queue,
    /**
     * Into the running turn at its next step boundary: its next model request carries the prompt, and the calls of the
     * step that had not started yet are skipped.
     */
    steer,
    /** The running turn is stopped (as an abort stops it) and the prompt runs next. */
    interrupt
}
