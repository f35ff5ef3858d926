package dev.lathe.tools;

/**
 * Where a tool's permission pattern comes from, and who checks it ({@link Tool#permission}).
 *
 * <p>{@code pattern} says what kind of value the rules match: a {@link Pattern#PATH} (made relative to the project,
 * and a path outside it also asks {@code external_directory}), a {@link Pattern#COMMAND} line (split into simple
 * commands, every one of which must pass), a {@link Pattern#URL}, a {@link Pattern#VALUE} matched as given (a glob, a
 * search pattern, a skill's name), a {@link Pattern#PATCH} whose file paths are the patterns (each as a {@code PATH};
 * only a tool that parses its patch can check it), or {@link Pattern#NONE} (the rules match {@code *}). {@code argument} names the argument that holds the value (empty
 * for {@code NONE}).
 *
 * <p>{@code checker} says who asks. The built-ins check {@link Checker#BY_TOOL}, inside {@code run}, because they ask
 * richly (an edit shows its diff, a command is split into sub-commands) and under their own rule keys; the pipeline
 * must not ask again. A tool that does not check itself (an MCP or plugin tool) declares {@link Checker#BY_PIPELINE}:
 * the tool-call pipeline's permission gate then asks with the tool's own name as the rule key and the argument's value
 * as the pattern, before the tool runs.
 */
public record PermissionSource(Pattern pattern, String argument, Checker checker) {
    /** What kind of value the permission rules are matched against. */
    public enum Pattern { PATH, COMMAND, URL, VALUE, PATCH, NONE }

    /** Who asks the permission engine. */
    public enum Checker { BY_TOOL, BY_PIPELINE }

    public PermissionSource {
        if (pattern == Pattern.NONE && !argument.isEmpty()) throw new IllegalArgumentException("a NONE pattern names no argument");
        if (pattern != Pattern.NONE && argument.isBlank()) throw new IllegalArgumentException(pattern + " needs the argument that holds it");
        if (pattern == Pattern.PATCH && checker == Checker.BY_PIPELINE) throw new IllegalArgumentException("only the tool reads its patch's paths");
    }

    /** The tool checks inside {@code run}, with rule patterns taken from {@code argument} of kind {@code pattern}. */
    public static PermissionSource checkedByTool(Pattern pattern, String argument) {
        return new PermissionSource(pattern, argument, Checker.BY_TOOL);
    }

    /** The tool checks nothing and needs nothing checked (its effects stay within the session, e.g. a todo list). */
    public static PermissionSource notChecked() { return new PermissionSource(Pattern.NONE, "", Checker.BY_TOOL); }

    /** The pipeline checks, with the project-relative path in {@code argument} as the pattern. */
    public static PermissionSource path(String argument) { return new PermissionSource(Pattern.PATH, argument, Checker.BY_PIPELINE); }

    /** The pipeline checks, with the command line in {@code argument} as the pattern. */
    public static PermissionSource command(String argument) { return new PermissionSource(Pattern.COMMAND, argument, Checker.BY_PIPELINE); }

    /** The pipeline checks, with the value of {@code argument}, as given, as the pattern. */
    public static PermissionSource value(String argument) { return new PermissionSource(Pattern.VALUE, argument, Checker.BY_PIPELINE); }

    /** The pipeline checks, with the URL in {@code argument} as the pattern. */
    public static PermissionSource url(String argument) { return new PermissionSource(Pattern.URL, argument, Checker.BY_PIPELINE); }

    /** The pipeline checks the tool's name with the pattern {@code *}: rules can allow, ask or deny the tool as a whole. */
    public static PermissionSource wholeTool() { return new PermissionSource(Pattern.NONE, "", Checker.BY_PIPELINE); }
}
