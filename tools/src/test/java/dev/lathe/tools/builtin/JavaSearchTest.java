package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.ToolContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java search scans a whole file for candidate lines, and must still find exactly the lines that match on their own. */
class JavaSearchTest {
    @TempDir Path tmp;

    static final List<String> TEXTS = List.of("", "\n", "\n\n", "a", "a\n", "a\nb", "a\nb\n", "abc\r\nxbz\r\n", "foo bar\nbar foo\n\nfoo\n",
            "x\ny\nz", "ab\nab\nab\n", "é ü\n\u00ffa\nb\n", "needle\nhay\nneedle needle\n", "a\n\nb\n\n");
    static final List<String> PATTERNS = List.of("a", "b", "^a", "a$", "^$", "^", "$", "x*", "b\\r?$", "\\bfoo\\b", "foo$", "^bar", "(?s)a.b",
            "a\\nb", "a\\s+b", "\\Aa", "a\\z", "(?-m)^b", "[^x]b", "needle", "(?i)NEEDLE|hay", "ü$", "ab|b\\n", ".");

    @Test
    void findsTheLinesThatMatchOnTheirOwn() throws Exception {
        var ctx = ToolContext.builder(tmp, Permissions.ALLOW_ALL).session("ses").call("call").build();
        for (int t = 0; t < TEXTS.size(); t++) {
            Path f = tmp.resolve("t" + t + ".txt");
            Files.writeString(f, TEXTS.get(t));
            for (String regex : PATTERNS) {
                List<String> found = new JavaSearch().grep(regex, f, Optional.empty(), 1000, ctx).stream()
                        .sorted(Comparator.comparingInt(Search.Hit::line)).map(h -> h.line() + ":" + h.text()).toList();
                assertThat(found).as("%s in %s", regex, TEXTS.get(t).replace("\n", "\\n").replace("\r", "\\r"))
                        .isEqualTo(lineByLine(regex, TEXTS.get(t)));
            }
        }
    }

    /** The plain reading: split into lines (a last line break ends the last line), match each alone. */
    static List<String> lineByLine(String regex, String text) {
        Pattern p = Pattern.compile(regex);
        List<String> out = new ArrayList<>();
        int number = 0;
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            number++;
            String line = text.substring(start, end);
            if (p.matcher(line).find()) out.add(number + ":" + Search.cut(line));
            start = end + 1;
        }
        return out;
    }
}
