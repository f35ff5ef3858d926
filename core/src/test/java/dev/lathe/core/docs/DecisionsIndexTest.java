package dev.lathe.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/decisions/ stays one file per decision with an index that lists each once (issue 54): a decision added as a
 * file without its row, a row whose link or title is wrong, two files of one number, or a file without its
 * "Decided:" summary or with an area outside the index's list fails here.
 */
class DecisionsIndexTest {
    private static final Path DIR = Path.of("../docs/decisions");
    private static final Pattern FILE = Pattern.compile("(\\d{3})-[a-z0-9-]+\\.md");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d+) \\| \\[(.*)\\]\\(([^)]+)\\) \\| (\\w+) \\| (.+) \\|$");
    private static final Pattern AREAS = Pattern.compile("Areas \\(keep to these\\):(.*?)\\n(?:Status|\\n)", Pattern.DOTALL);

    @Test
    void everyDecisionFileHasOneRowAndEveryRowOneFile() throws IOException {
        String index = Files.readString(DIR.resolve("README.md"));
        Matcher areasLine = AREAS.matcher(index);
        assertThat(areasLine.find()).as("the index's list of areas").isTrue();
        Set<String> areas = Set.copyOf(Pattern.compile("`(\\w+)`").matcher(areasLine.group(1)).results().map(r -> r.group(1)).toList());

        Map<Integer, String> files = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> list = Files.list(DIR)) {
            for (Path file : list.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("README.md")) continue;
                Matcher m = FILE.matcher(name);
                if (!m.matches()) {
                    problems.add(name + ": not named NNN-title.md");
                    continue;
                }
                int number = Integer.parseInt(m.group(1));
                if (files.put(number, name) != null) problems.add(name + ": a second file of decision " + number);
                List<String> lines = Files.readAllLines(file);
                if (lines.isEmpty() || !lines.getFirst().startsWith("# " + number + ". ")) problems.add(name + ": does not open with '# " + number + ". Title'");
                if (lines.stream().limit(12).noneMatch(l -> l.startsWith("**Decided:**"))) problems.add(name + ": no **Decided:** summary at the top");
                if (lines.size() > 2 && !lines.get(2).startsWith("Area: ")) problems.add(name + ": no 'Area: … · Status: …' line");
                else if (lines.size() > 2 && !areas.contains(lines.get(2).substring(6).split(" ")[0])) problems.add(name + ": an area not in the index's list");
            }
        }
        Map<Integer, String> rows = new TreeMap<>();
        Matcher row = ROW.matcher(index);
        while (row.find()) {
            int number = Integer.parseInt(row.group(1));
            if (rows.put(number, row.group(3)) != null) problems.add("index: decision " + number + " listed twice");
            String file = files.get(number);
            if (!row.group(3).equals(file)) problems.add("index: decision " + number + " links " + row.group(3) + ", the file is " + file);
            else if (!Files.readAllLines(DIR.resolve(file)).getFirst().equals("# " + number + ". " + row.group(2).replace("\\|", "|"))) problems.add("index: decision " + number + "'s title differs from its file's");
            if (!areas.contains(row.group(4))) problems.add("index: decision " + number + "'s area " + row.group(4) + " is not in the list");
        }
        files.keySet().stream().filter(n -> !rows.containsKey(n)).forEach(n -> problems.add("index: no row for " + files.get(n)));
        assertThat(files).as("decision files").hasSizeGreaterThan(200);
        assertThat(problems).as("docs/decisions/ and its README.md (see 'Adding a decision' there)").isEmpty();
    }
}
