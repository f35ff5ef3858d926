/**
 * What every text client of the server shows alike — the terminal UI ({@code tui}), {@code lathe run} and the GitHub app
 * ({@code run}), the command line ({@code app}): {@link dev.lathe.term.VisibleControls}, the one sanitiser of DESIGN
 * §24 (no control character reaches a terminal raw), and {@link dev.lathe.term.TerminalSafeStream}, it on a printed
 * stream; a cost ({@link dev.lathe.term.Money}), the provider's rate-limit windows ({@link dev.lathe.term.QuotaMeter}),
 * a child that asks ({@link dev.lathe.term.ChildAsker}), when an ask may be answered ({@link dev.lathe.term.AskArming})
 * and what a goal's check came to ({@link dev.lathe.term.GoalCheck}). Below both clients, so neither names the other
 * (decision 527). Imports protocol and JLine's text types only.
 */
package dev.lathe.term;
