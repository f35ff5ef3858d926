package dev.lathe.core.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * STAND-IN, to be replaced by the agents issue's loader (issue #8, agents part): the smallest reading of agent
 * markdown files that the subagent tests need. Reads {@code .lathe/agents/*.md} and {@code .claude/agents/*.md} of a
 * project folder: flat {@code key: value} front matter ({@code name}, {@code description}, {@code mode},
 * {@code model}, {@code tools} as a comma list with Claude Code's names lower-cased), the body as the prompt. A file
 * without a description is skipped; a name defaults to the file name; Claude's files are subagents unless they say
 * otherwise.
 */
public final class AgentFiles {
    /** Claude Code tool names whose lower-case form is not Lathe's name. */
    private static final Map<String, String> CLAUDE_TOOLS = Map.of("todowrite", "todo", "multiedit", "edit", "ls", "list");

    private AgentFiles() {}

    /** The built-ins, then the project's agent files (a file with a built-in's name replaces it). */
    public static Agents of(Path directory) {
        Map<String, Agent> byName = new LinkedHashMap<>();
        for (Agent a : BuiltinAgents.ALL) byName.put(a.name(), a);
        for (Agent a : read(directory.resolve(".claude/agents"))) byName.put(a.name(), a);
        for (Agent a : read(directory.resolve(".lathe/agents"))) byName.put(a.name(), a);
        return new Agents(List.copyOf(byName.values()));
    }

    private static List<Agent> read(Path folder) {
        if (!Files.isDirectory(folder)) return List.of();
        try (Stream<Path> files = Files.list(folder)) {
            List<Agent> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList()) parse(f).ifPresent(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<Agent> parse(Path file) throws IOException {
        String text = Files.readString(file).replace("\r\n", "\n");
        if (!text.startsWith("---\n")) return Optional.empty();
        int end = text.indexOf("\n---", 4);
        if (end < 0) return Optional.empty();
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : text.substring(4, end).lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith(" ")) meta.put(line.substring(0, colon).strip(), unquote(line.substring(colon + 1).strip()));
        }
        String description = meta.getOrDefault("description", "");
        if (description.isBlank()) return Optional.empty();
        String fileName = file.getFileName().toString();
        String name = meta.getOrDefault("name", fileName.substring(0, fileName.length() - 3));
        Agent.Mode mode = Agent.Mode.parse(meta.getOrDefault("mode", "subagent")).orElse(Agent.Mode.SUBAGENT);
        Optional<String> model = Optional.ofNullable(meta.get("model")).filter(m -> m.contains("/"));
        Optional<List<String>> tools = Optional.ofNullable(meta.get("tools")).filter(t -> !t.isBlank()).map(t -> Arrays.stream(t.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).map(s -> CLAUDE_TOOLS.getOrDefault(s, s)).toList());
        String prompt = text.substring(text.indexOf('\n', end + 1) + 1).strip();
        return Optional.of(new Agent(name, description, mode, model, Optional.empty(), Optional.empty(), prompt, List.of(), tools, file.toString()));
    }

    private static String unquote(String v) {
        return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'")) ? v.substring(1, v.length() - 1) : v;
    }
}
