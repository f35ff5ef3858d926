package dev.lathe.core.hooks;

import dev.lathe.tools.plugin.PluginHook;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What runs when a hook fires, with its timeout. */
public sealed interface HookHandler {
    Duration timeout();

    /** How the handler reads in listings: the command line or the URL. */
    String shown();

    /**
     * A command: with no {@code args}, {@code command} is a shell string run by {@code bash -c}; with {@code args}
     * (Claude Code's exec form) {@code command} is the executable and {@code args} its arguments, no shell between,
     * {@code ${CLAUDE_PROJECT_DIR}} and {@code ${LATHE_PROJECT_DIR}} expanded by Lathe.
     */
    record Command(String command, List<String> args, Form form, Duration timeout) implements HookHandler {
        public Command {
            args = List.copyOf(args);
        }

        /** Shell string or executable with arguments. */
        public enum Form { SHELL, EXEC }

        @Override public String shown() {
            return form == Form.SHELL ? command : String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of(command), args.stream()).toList());
        }
    }

    /** A Java plugin's hook ({@link dev.lathe.tools.plugin.PluginHook}), run in Lathe's process on a thread of its own. */
    record Java(String plugin, PluginHook hook, Duration timeout) implements HookHandler {
        @Override public String shown() { return "plugin " + plugin; }
    }

    /**
     * An HTTP endpoint the event's JSON is POSTed to; the response body is read as a command's stdout. In
     * {@code headers}, {@code $VAR} and {@code ${VAR}} expand only for the names in {@code allowedEnvVars}; any other
     * reference becomes empty.
     */
    record Http(URI url, Map<String, String> headers, List<String> allowedEnvVars, Duration timeout) implements HookHandler {
        public Http {
            headers = Map.copyOf(headers);
            allowedEnvVars = List.copyOf(allowedEnvVars);
        }

        @Override public String shown() { return url.toString(); }
    }
}
