/**
 * The {@code lathe} command line (DESIGN §3): parsing with picocli, choosing a backend (daemon over HTTP, or the
 * in-process server), and printing. Wiring only; imports server, client and protocol.
 */
package dev.lathe.app;
