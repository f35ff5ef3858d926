/**
 * The {@code lathe} command line (DESIGN §3): parsing with picocli and choosing a backend (the daemon over HTTP, or the
 * in-process server), then handing over — to the console clients and the terminal UI of {@code tui}, to
 * {@link dev.lathe.protocol.api.LatheApi} for session commands, and to the server's
 * {@link dev.lathe.server.local.LocalCommands} for the commands that need no server ({@code models}, {@code auth},
 * {@code debug}, {@code audit}, {@code doctor}). Wiring only; imports server, client, tui and protocol, never core or llm — a test
 * ({@code ModuleBoundariesTest}) fails when any module names one it may not (DESIGN §2).
 */
package dev.lathe.app;
