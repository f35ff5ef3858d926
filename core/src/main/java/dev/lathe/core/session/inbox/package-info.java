/**
 * What arrives in a session before a turn takes it: a prompt's intake (agent, model, environment note, title:
 * {@code PromptIntake}), the agents a prompt mentions, and the prompts and turns queued while one runs.
 */
package dev.lathe.core.session.inbox;
