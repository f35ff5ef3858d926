package dev.lathe.core.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code notify} (DESIGN §18 "Notifications"): where the user is told that a session asks, finished its turn or failed.
 * {@code webhook} gets the notice as a JSON POST, {@code command} (a program and its arguments, no shell) gets it on
 * stdin; {@code on} the events ({@code ask}, {@code done}, {@code failed}; all when the key is absent); with
 * {@code includeText} the notice carries the session's own words (the question, the error), else a neutral description;
 * {@code when} whether a session someone watches is told too ({@link When}).
 * Read from the user's own layers only: a project's {@code notify} would send its sessions anywhere ({@code ConfigLoader}
 * drops it).
 */
public record NotifyConfig(Optional<String> webhook, List<String> command, Set<String> on, IncludeText includeText, When when) {
    /** The events a notice is sent for. */
    public static final Set<String> EVENTS = Set.of("ask", "done", "failed");
    /** The values of {@code when}. */
    public static final Set<String> WHEN = Set.of("away", "always");

    public static final NotifyConfig NONE = new NotifyConfig(Optional.empty(), List.of(), EVENTS, IncludeText.NO, When.AWAY);

    /** Whether a notice carries the session's own words or only a neutral description. */
    public enum IncludeText { YES, NO }

    /**
     * When a session's event is told: {@code AWAY} (the default) only while no client follows the session or its folder
     * (nobody watches it: no terminal UI attached or open there, no {@code lathe run} following its turn, issue 71),
     * {@code ALWAYS} whatever watches it.
     */
    public enum When { AWAY, ALWAYS }

    public NotifyConfig {
        command = List.copyOf(command);
        on = Set.copyOf(on);
    }

    /** Whether anything is told at all. */
    public boolean configured() { return webhook.isPresent() || !command.isEmpty(); }

    /** Whether {@code event} is one the user wants told. */
    public boolean wants(String event) { return configured() && on.contains(event); }

    /** The validated {@code notify} object ({@code ConfigSchema}); missing: {@link #NONE}. */
    static NotifyConfig of(JsonNode node) {
        if (!node.isObject()) return NONE;
        Optional<String> webhook = node.path("webhook").isString() ? Optional.of(node.path("webhook").asString()) : Optional.empty();
        List<String> command = new java.util.ArrayList<>();
        for (JsonNode arg : node.path("command")) command.add(arg.asString());
        Set<String> on = new LinkedHashSet<>();
        for (JsonNode event : node.path("on")) on.add(event.asString());
        return new NotifyConfig(webhook, command, node.has("on") ? on : EVENTS,
                node.path("includeText").asBoolean(false) ? IncludeText.YES : IncludeText.NO,
                node.path("when").asString("away").equals("always") ? When.ALWAYS : When.AWAY);
    }
}
