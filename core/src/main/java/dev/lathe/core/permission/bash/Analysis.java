package dev.lathe.core.permission.bash;

import java.util.List;

/**
 * What a command line would do, as far as it can be known without running it. {@code problems} lists why it is not
 * fully static (a command name from a variable, {@code eval}, unparseable input, a file operand that cannot be
 * resolved, …); any problem makes the analysis {@link #dynamic()}. {@code concerns} lists forms that are known
 * statically but risky whatever the rules allow (an environment prefix not known to be harmless, a program option that
 * runs code or writes a file, a control character): each makes the command at least ask, with that reason.
 */
public record Analysis(List<SimpleCommand> commands, List<FileAccess> accesses, List<String> problems, List<String> concerns) {
    public Analysis {
        commands = List.copyOf(commands);
        accesses = List.copyOf(accesses);
        problems = List.copyOf(problems);
        concerns = List.copyOf(concerns);
    }

    public boolean dynamic() { return !problems.isEmpty(); }
}
