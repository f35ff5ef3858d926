/**
 * The console clients, for where the terminal UI is not: {@link dev.lathe.run.console.HeadlessRun} ({@code lathe run}:
 * one prompt — with what {@link dev.lathe.run.console.PipedStdin} read appended — printed as text or as NDJSON events
 * ending with the {@code result} line of {@link dev.lathe.run.console.RunSummary}, asks answered by {@code --allow-all}
 * or rejected; {@code --until CMD} runs {@link dev.lathe.run.console.GoalLoop}, a run per turn with the check between) and
 * {@link dev.lathe.run.console.ConsoleClient} ({@code lathe} and {@code lathe attach} on a pipe or {@code TERM=dumb}:
 * line-by-line prompts, asks answered by the next line). Both talk to a server only through
 * {@link dev.lathe.protocol.api.LatheApi}, in process or over HTTP, and return the exit codes of DESIGN §3
 * ({@link dev.lathe.run.console.ExitCode}). Imports protocol and {@code term} only (the client module is
 * allowed, not needed), never the terminal UI; the command line in {@code app} parses arguments, picks the backend and
 * hands it here.
 */
package dev.lathe.run.console;
