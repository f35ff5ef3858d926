package dev.lathe.core.permission.bash;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterBash;

/**
 * Walks a tree-sitter-bash tree: control structure (lists, pipelines, subshells, bodies) and words (quote removal,
 * {@code ~}/{@code $HOME}, substitutions analysed where they appear). What a simple command means is left to
 * {@link Commands}.
 */
final class Walker {
    static final int MAX_INPUT = 100_000;
    static final int MAX_DEPTH = 12;
    private static final TreeSitterBash BASH = new TreeSitterBash();
    private static final Set<String> SPECIAL_VARS = Set.of("PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "BASH_ENV", "ENV", "IFS",
            "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND", "GIT_DIR", "GIT_WORK_TREE", "GIT_EXEC_PATH", "GIT_SSH_COMMAND",
            "GIT_PAGER", "PAGER", "EDITOR", "DYLD_INSERT_LIBRARIES", "HOME", "CDPATH");

    final Collector out;
    final Commands commands;

    Walker(Collector out) {
        this.out = out;
        this.commands = new Commands(this);
    }

    /** Parses and walks one script (the top-level line, or the text of {@code bash -c '…'}). */
    void script(String text, Scope scope, int depth) {
        if (depth > MAX_DEPTH) {
            out.problem("shell nesting too deep");
            return;
        }
        if (text.length() > MAX_INPUT) {
            out.problem("command too long to analyse");
            return;
        }
        byte[] src = text.getBytes(StandardCharsets.UTF_8);
        try (TSParser parser = new TSParser()) {
            parser.setLanguage(BASH);
            try (TSTree tree = parser.parseString(null, text)) {
                TSNode root = tree.getRootNode();
                if (root.hasError()) out.problem("the command does not parse as bash");
                if (root.getEndByte() < text.stripTrailing().getBytes(StandardCharsets.UTF_8).length) out.problem("the parse stopped early");
                new Pass(src, depth).statement(root, scope);
            }
        }
    }

    /** One walk over one parsed source. */
    final class Pass {
        private final byte[] src;
        final int depth;

        Pass(byte[] src, int depth) {
            this.src = src;
            this.depth = depth;
        }

        String text(TSNode n) { return new String(src, n.getStartByte(), n.getEndByte() - n.getStartByte(), StandardCharsets.UTF_8); }

        void statement(TSNode n, Scope s) {
            if (n.isMissing()) out.problem("incomplete command");
            switch (n.getType()) {
                case "comment", "heredoc_body", "heredoc_start", "heredoc_end" -> { }
                case "pipeline" -> eachNamed(n, c -> statement(c, s.copy()));
                case "subshell", "function_definition" -> sequence(n, s.copy());
                case "if_statement", "while_statement", "for_statement", "c_style_for_statement", "case_statement" -> {
                    Scope inner = s.copy();
                    sequence(n, inner);
                    // a cd that runs only on some paths leaves the folder unknown
                    if (!Objects.equals(inner.cwd, s.cwd)) s.cwd = null;
                }
                case "redirected_statement" -> {
                    for (int i = 0; i < n.getChildCount(); i++) {
                        if ("redirect".equals(n.getFieldNameForChild(i))) redirect(n.getChild(i), s);
                    }
                    TSNode body = n.getChildByFieldName("body");
                    if (body != null && !body.isNull()) statement(body, s);
                }
                case "command" -> command(n, s);
                case "variable_assignment" -> assignment(n, s);
                case "declaration_command", "unset_command" -> declaration(n, s);
                case "file_redirect", "heredoc_redirect", "herestring_redirect" -> redirect(n, s);
                case "ERROR" -> {
                    out.problem("the command does not parse as bash");
                    sequence(n, s);
                }
                case "word", "string", "raw_string", "concatenation", "simple_expansion", "expansion", "command_substitution",
                     "process_substitution", "arithmetic_expansion", "ansi_c_string", "translated_string", "number" -> word(n, s, true);
                default -> sequence(n, s);
            }
        }

        /** Named children in order; a job sent to the background with {@code &} gets its own scope. */
        void sequence(TSNode n, Scope s) {
            for (int i = 0; i < n.getChildCount(); i++) {
                TSNode c = n.getChild(i);
                if (!c.isNamed()) {
                    if (c.isMissing()) out.problem("incomplete command");
                    // tree-sitter takes a case terminator anywhere; bash refuses one outside a case
                    if (c.getType().startsWith(";;") || c.getType().equals(";&")) {
                        if (!n.getType().equals("case_item")) out.problem("the command does not parse as bash");
                    }
                    continue;
                }
                TSNode next = c.getNextSibling();
                boolean background = next != null && !next.isNull() && next.getType().equals("&");
                statement(c, background ? s.copy() : s);
            }
        }

        private void eachNamed(TSNode n, java.util.function.Consumer<TSNode> f) {
            for (int i = 0; i < n.getNamedChildCount(); i++) f.accept(n.getNamedChild(i));
        }

        void command(TSNode n, Scope s) {
            List<Word> words = new ArrayList<>();
            for (int i = 0; i < n.getChildCount(); i++) {
                TSNode c = n.getChild(i);
                String field = n.getFieldNameForChild(i);
                String type = c.getType();
                if (type.equals("variable_assignment")) {
                    assignment(c, s);
                    TSNode name = c.getChildByFieldName("name"); // a prefix: in the environment of the command it runs
                    if (name != null && !name.isNull() && !EnvironmentPrefixes.harmless(text(name))) out.concern(EnvironmentPrefixes.reason(text(name)));
                } else if (type.endsWith("_redirect")) {
                    redirect(c, s);
                } else if ("name".equals(field)) {
                    TSNode inner = c.getNamedChildCount() == 1 ? c.getNamedChild(0) : c;
                    if (inner.getType().equals("arithmetic_expansion")) { // (( … )): arithmetic, not a command
                        word(inner, s, true);
                        return;
                    }
                    words.add(word(inner, s, true));
                } else if ("argument".equals(field)) {
                    words.add(word(c, s, true));
                } else if (c.isNamed()) {
                    statement(c, s);
                }
            }
            commands.run(words, s, false, this);
        }

        void assignment(TSNode n, Scope s) {
            TSNode name = n.getChildByFieldName("name");
            if (name != null && !name.isNull() && SPECIAL_VARS.contains(text(name))) out.problem("sets " + text(name) + ", which changes what later commands run");
            TSNode value = n.getChildByFieldName("value");
            if (value != null && !value.isNull()) word(value, s, true);
        }

        void declaration(TSNode n, Scope s) {
            List<Word> words = new ArrayList<>();
            for (int i = 0; i < n.getChildCount(); i++) {
                TSNode c = n.getChild(i);
                if (c.getType().equals("variable_assignment")) {
                    assignment(c, s);
                    TSNode name = c.getChildByFieldName("name");
                    boolean exported = !words.isEmpty() && Set.of("export", "declare", "typeset", "local", "readonly").contains(words.getFirst().shown());
                    if (exported && name != null && !name.isNull() && !EnvironmentPrefixes.harmless(text(name))) out.concern(EnvironmentPrefixes.reason(text(name)));
                    words.add(new Word(null, text(c), false));
                } else if (!c.isNamed()) {
                    words.add(Word.literal(text(c)));
                } else {
                    words.add(word(c, s, true));
                }
            }
            out.command(new SimpleCommand(words.stream().map(Word::shown).toList(), words.getFirst().shown(), s.cwd, SimpleCommand.Role.COMMAND,
                    ReadOnlyCommands.whyNot(words, s.cwd).orElse(null)));
        }

        void redirect(TSNode n, Scope s) {
            switch (n.getType()) {
                case "file_redirect" -> {
                    String op = "";
                    for (int i = 0; i < n.getChildCount(); i++) if (!n.getChild(i).isNamed()) op += n.getChild(i).getType();
                    for (int i = 0; i < n.getChildCount(); i++) {
                        if (!"destination".equals(n.getFieldNameForChild(i))) continue;
                        TSNode d = n.getChild(i);
                        if (d.getType().equals("number") && (op.endsWith("&") || op.isEmpty())) continue; // 2>&1
                        Word w = word(d, s, true);
                        if ("-".equals(w.value()) || (op.contains("&") && w.value() != null && w.value().matches("\\d+-?"))) continue;
                        Access a = op.startsWith("<") && !op.equals("<>") ? Access.READ : Access.WRITE;
                        commands.access(w, a, "redirect " + (op.isEmpty() ? ">" : op), s);
                    }
                }
                case "heredoc_redirect" -> {
                    for (int i = 0; i < n.getChildCount(); i++) {
                        TSNode c = n.getChild(i);
                        if (!c.isNamed()) continue;
                        if (c.getType().equals("heredoc_body")) substitutions(c, s); // the body is data, but $(…) in it runs
                        else statement(c, s);
                    }
                }
                default -> substitutions(n, s);
            }
        }

        /** Runs every command substitution found below n (they execute even inside data). */
        void substitutions(TSNode n, Scope s) {
            for (int i = 0; i < n.getNamedChildCount(); i++) {
                TSNode c = n.getNamedChild(i);
                if (c.getType().equals("command_substitution") || c.getType().equals("process_substitution")) sequence(c, s.copy());
                else substitutions(c, s);
            }
        }

        /** Quote removal and static expansion of one word; unknown parts make the value null. */
        Word word(TSNode n, Scope s, boolean first) {
            String raw = text(n);
            return switch (n.getType()) {
                case "word" -> unquoted(raw, first);
                case "number" -> Word.literal(raw);
                case "raw_string" -> new Word(raw.substring(1, raw.length() - 1), raw, false);
                case "string" -> doubleQuoted(n, s, raw);
                case "ansi_c_string" -> new Word(raw.contains("\\") ? null : raw.substring(2, raw.length() - 1), raw, false);
                case "simple_expansion", "expansion" -> {
                    substitutions(n, s);
                    yield new Word(isHome(raw) ? out.home.toString() : null, raw, false);
                }
                case "command_substitution" -> {
                    sequence(n, s.copy());
                    yield new Word(null, raw, false);
                }
                case "process_substitution" -> {
                    sequence(n, s.copy());
                    yield new Word("/dev/fd/63", raw, false); // a pipe, not a file in the project
                }
                case "concatenation" -> concatenation(n, s, raw, first);
                default -> {
                    substitutions(n, s);
                    yield new Word(null, raw, false);
                }
            };
        }

        private Word concatenation(TSNode n, Scope s, String raw, boolean first) {
            StringBuilder value = new StringBuilder();
            boolean known = true;
            boolean glob = false;
            for (int i = 0; i < n.getNamedChildCount(); i++) {
                TSNode c = n.getNamedChild(i);
                Word w = word(c, s, first && i == 0);
                if (!w.known()) known = false;
                else value.append(w.value());
                glob |= w.glob();
                if (c.getType().equals("word") && (w.raw().equals("{") || w.raw().startsWith("{"))) {
                    // brace expansion {a,b}: not resolved statically ("{}" alone is find's placeholder)
                    if (!raw.equals("{}")) known = false;
                }
            }
            return new Word(known ? value.toString() : null, raw, glob);
        }

        private Word doubleQuoted(TSNode n, Scope s, String raw) {
            StringBuilder value = new StringBuilder();
            boolean known = true;
            for (int i = 0; i < n.getNamedChildCount(); i++) {
                TSNode c = n.getNamedChild(i);
                if (c.getType().equals("string_content")) {
                    value.append(unescapeDoubleQuoted(text(c)));
                } else {
                    Word w = word(c, s, false);
                    if (w.known()) value.append(w.value());
                    else known = false;
                }
            }
            if (n.getNamedChildCount() == 0 && raw.length() >= 2) value.append(unescapeDoubleQuoted(raw.substring(1, raw.length() - 1)));
            return new Word(known ? value.toString() : null, raw, false);
        }

        private boolean isHome(String raw) { return raw.equals("$HOME") || raw.equals("${HOME}"); }

        private Word unquoted(String raw, boolean first) {
            StringBuilder value = new StringBuilder();
            boolean glob = false;
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '\\' && i + 1 < raw.length()) {
                    char next = raw.charAt(++i);
                    if (next != '\n') value.append(next);
                    continue;
                }
                if (c == '*' || c == '?' || c == '[') glob = true;
                value.append(c);
            }
            String v = value.toString();
            if (first && raw.startsWith("~")) {
                if (v.equals("~")) return new Word(out.home.toString(), raw, glob);
                if (v.startsWith("~/")) return new Word(out.home + v.substring(1), raw, glob);
                return new Word(null, raw, glob); // ~user, ~+: not resolved
            }
            if (raw.contains("{") && raw.contains("}") && (raw.contains(",") || raw.contains("..")) && !raw.equals("{}")) {
                return new Word(null, raw, glob);
            }
            return new Word(v, raw, glob);
        }

        private static String unescapeDoubleQuoted(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                    char next = s.charAt(++i);
                    if (next != '\n') b.append(next);
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    /** Everything found so far, in order. */
    static final class Collector {
        final Path home;
        final List<SimpleCommand> commands = new ArrayList<>();
        final List<FileAccess> accesses = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final List<String> concerns = new ArrayList<>();

        Collector(Path home) { this.home = home; }

        void command(SimpleCommand c) { commands.add(c); }

        void problem(String why) { if (!problems.contains(why)) problems.add(why); }

        /** A static but risky form (an environment prefix, a program option that runs code): at least ask. */
        void concern(String why) { if (!concerns.contains(why)) concerns.add(why); }

        Analysis result() { return new Analysis(commands, accesses, problems, concerns); }
    }
}
