package dev.lathe.core.hooks;

import java.util.Optional;

/**
 * The node's {@code bash} rules, asked before a hook's or the status line's command starts (DESIGN §30: every path a
 * person configured runs under the rules the model's bash runs under). Only a denial stops it: what the rules would
 * ask, the configuration a person wrote (and trusted, pinned) already answered, and nobody is there to ask while a hook
 * runs. There is deliberately no instance that denies nothing: each caller names the rules its session is held to.
 */
@FunctionalInterface
public interface CommandRules {
    /** Why the rules deny {@code commandLine} outright, in the user's words; empty when they do not. */
    Optional<String> denial(String commandLine);
}
