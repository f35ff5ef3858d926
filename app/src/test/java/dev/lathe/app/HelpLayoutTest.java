package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} reads well in an 80-column terminal (issue 42's minors: the root's description wrapped
 * mid-sentence, a path was cut in two): no line is wider than 80, no word of a description is split across lines, a
 * paragraph is wrapped greedily (no line ends while the next word would still have fitted), and every command answers
 * {@code --version}.
 */
class HelpLayoutTest {
    private static final int WIDTH = 80;

    @Test
    void everyCommandsHelpFitsEightyColumnsWithoutSplitWordsOrRaggedParagraphs() {
        List<String> problems = new ArrayList<>();
        for (CommandLine command : all(new CommandLine(new Main()))) {
            String name = command.getCommandSpec().qualifiedName();
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            List<String> lines = help.lines().toList();
            for (String line : lines) {
                if (line.length() > WIDTH) problems.add(name + ": wider than " + WIDTH + ": " + line);
            }
            Set<String> shown = new HashSet<>(Arrays.asList(help.split("\\s+")));
            for (String word : words(command.getCommandSpec())) {
                if (!shown.contains(word)) problems.add(name + ": the word \"" + word + "\" is split across lines");
            }
            problems.addAll(ragged(name, lines));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyCommandAnswersVersion() {
        List<String> without = all(new CommandLine(new Main())).stream()
                .filter(c -> c.getCommandSpec().findOption("--version") == null)
                .map(c -> c.getCommandSpec().qualifiedName()).toList();
        assertThat(without).isEmpty();
    }

    private static List<CommandLine> all(CommandLine root) {
        List<CommandLine> out = new ArrayList<>();
        out.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (out.stream().noneMatch(c -> c.getCommandSpec() == sub.getCommandSpec())) out.addAll(all(sub));
        }
        return out.stream().distinct().toList();
    }

    /** The words of the command's own description and of its options' and parameters' descriptions, as written. */
    private static Set<String> words(CommandLine.Model.CommandSpec spec) {
        List<String> texts = new ArrayList<>(Arrays.asList(spec.usageMessage().description()));
        spec.options().forEach(o -> texts.addAll(Arrays.asList(o.description())));
        spec.positionalParameters().forEach(p -> texts.addAll(Arrays.asList(p.description())));
        Set<String> out = new HashSet<>();
        for (String text : texts) {
            for (String word : text.split("\\s+")) {
                // picocli's markup and variables are rendered differently from how they are written
                if (!word.isBlank() && !word.contains("%") && !word.contains("${") && !word.contains("@|")) out.add(word);
            }
        }
        return out;
    }

    /**
     * Lines of a description paragraph (starting at column 0, before the first indented block) that end although the
     * next line's first word would still have fitted on them: a line break written into the text, not a wrap.
     */
    private static List<String> ragged(String name, List<String> lines) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && (lines.get(i).startsWith("Usage:") || lines.get(i).startsWith(" "))) i++;
        for (; i + 1 < lines.size(); i++) {
            String line = lines.get(i);
            String next = lines.get(i + 1);
            if (line.isBlank() || line.startsWith(" ") || next.isBlank() || next.startsWith(" ") || next.endsWith(":")) continue;
            // a sentence ended and the next starts on a line of its own: a paragraph written so, not a wrap
            if (line.matches(".*[.:;!?]$") && Character.isUpperCase(next.charAt(0))) continue;
            String firstWord = next.split("\\s+")[0];
            // picocli leaves the last column free (a terminal that wraps at it would add a blank line)
            if (line.length() + 1 + firstWord.length() < WIDTH) {
                out.add(name + ": a paragraph breaks early: \"" + line + "\" / \"" + next + "\"");
            }
        }
        return out;
    }
}
