package dev.lathe.tools;

import java.util.List;

/**
 * Port to whatever can tell what is wrong with files after a call changed them (an LSP client, DESIGN §2): the
 * tool-call pipeline hands it the files a call reported changing and appends what it returns to the result the model
 * reads (DESIGN §18: a blank line, then {@code <diagnostics file="REL/PATH">}, one problem a line,
 * {@code </diagnostics>}). Returns the empty string when it has nothing to say; {@link #NONE} never has.
 */
@FunctionalInterface
public interface Diagnostics {
    /** @param changedFiles relative to {@code ctx.folders().project()} (absolute outside it), as {@link ToolResult#changedFiles} */
    String report(List<String> changedFiles, ToolContext ctx);

    Diagnostics NONE = (_, _) -> "";
}
