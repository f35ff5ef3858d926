package dev.lathe.core.session.inbox;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.agent.Agents;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code @name} in a prompt, where {@code name} is one of the project's subagents and no file or folder of that name
 * exists in the project ({@code @file} wins), asks for that subagent. As OpenCode does, the prompt then carries a
 * synthetic text part per agent telling the model to hand the request to it through the {@code task} tool; the model
 * writes the task's prompt from the message and its context.
 */
final class AgentMentions {
    /** {@code @} not inside a word, an e-mail address or a path; the name may hold path characters, checked after. */
    private static final Pattern MENTION = Pattern.compile("(?<![\\w@/.-])@([A-Za-z0-9_][A-Za-z0-9_./-]*)");

    private AgentMentions() {}

    /** The subagents {@code text} mentions, in order of first mention. */
    static List<String> of(String text, Agents agents, Path projectDir) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            String name = m.group(1).replaceAll("[./-]+$", "");
            if (agents.find(name).filter(Agent::subagent).isPresent() && !isFile(projectDir, name)) found.add(name);
        }
        return List.copyOf(found);
    }

    static String instruction(String agent) {
        return "Use the above message and context to generate a prompt and call the task tool with agent: " + agent;
    }

    private static boolean isFile(Path projectDir, String name) {
        try {
            return Files.exists(projectDir.resolve(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
