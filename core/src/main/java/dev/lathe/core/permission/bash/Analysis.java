package dev.lathe.core.permission.bash;

import java.util.List;

/**
 * What a command line would do, as far as it can be known without running it. {@code problems} lists why it is not
 * fully static (a command name from a variable, {@code eval}, unparseable input, a file operand that cannot be
 * resolved, …); any problem makes the analysis {@link #dynamic()}.
 */
public record Analysis(List<SimpleCommand> commands, List<FileAccess> accesses, List<String> problems) {
    public Analysis {
        commands = List.copyOf(commands);
        accesses = List.copyOf(accesses);
        problems = List.copyOf(problems);
    }

    public boolean dynamic() { return !problems.isEmpty(); }
}
