package dev.lathe.tui.render;

import static dev.lathe.tui.render.MarkdownViewTest.styleOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Snapshots;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class CodeHighlighterTest {
    private static final Theme THEME = Theme.standard();
    private final CodeHighlighter highlighter = new CodeHighlighter(THEME);

    private static AttributedStyle role(Role role) {
        return THEME.style(role);
    }

    private AttributedString one(String line, String language) {
        return highlighter.highlight(line, language).getFirst();
    }

    @Test
    void paintsKeywordsStringsCommentsNumbersAndTypes() {
        AttributedString line = one("public static final String NAME = \"x\"; // 12 o'clock", "java");
        assertThat(styleOf(line, "public")).isEqualTo(role(Role.KEYWORD));
        assertThat(styleOf(line, "String")).isEqualTo(role(Role.TYPE));
        assertThat(styleOf(line, "NAME")).isEqualTo(role(Role.CODE));
        assertThat(styleOf(line, "\"x\"")).isEqualTo(role(Role.STRING));
        assertThat(styleOf(line, "// 12")).isEqualTo(role(Role.COMMENT));
        assertThat(styleOf(one("x = 0x1F + 3.5e-2 + 1_000L;", "java"), "0x1F")).isEqualTo(role(Role.NUMBER));
        assertThat(styleOf(one("int v2 = 2;", "java"), "v2")).isEqualTo(role(Role.CODE));
    }

    @Test
    void carriesBlockCommentsAndMultilineStringsAcrossLines() {
        List<AttributedString> java = highlighter.highlight("/* one\n two */ int x;\nString s = \"\"\"\n  text \"q\"\n  \"\"\";", "java");
        assertThat(styleOf(java.get(1), "two")).isEqualTo(role(Role.COMMENT));
        assertThat(styleOf(java.get(1), "int")).isEqualTo(role(Role.KEYWORD));
        assertThat(styleOf(java.get(3), "text")).isEqualTo(role(Role.STRING));
        assertThat(styleOf(java.get(4), ";")).isEqualTo(role(Role.CODE));

        List<AttributedString> python = highlighter.highlight("s = '''\nif x # not a comment\n'''\nif y: # comment", "py");
        assertThat(styleOf(python.get(1), "if")).isEqualTo(role(Role.STRING));
        assertThat(styleOf(python.get(3), "if")).isEqualTo(role(Role.KEYWORD));
        assertThat(styleOf(python.get(3), "# comment")).isEqualTo(role(Role.COMMENT));

        List<AttributedString> js = highlighter.highlight("const t = `a\n${b} // x\n`; let y", "ts");
        assertThat(styleOf(js.get(1), "//")).isEqualTo(role(Role.STRING));
        assertThat(styleOf(js.get(2), "let")).isEqualTo(role(Role.KEYWORD));
    }

    @Test
    void threadsStateLineByLine() {
        Language java = CodeHighlighter.language("java").orElseThrow();
        CodeHighlighter.Highlighted first = highlighter.highlight("a /* open", LanguageState.start(java));
        assertThat(first.next().isInsideConstruct()).isTrue();
        CodeHighlighter.Highlighted second = highlighter.highlight("close */ b", first.next());
        assertThat(second.next().isInsideConstruct()).isFalse();
        assertThat(styleOf(second.line(), "close")).isEqualTo(role(Role.COMMENT));
    }

    @Test
    void knowsLanguageQuirks() {
        assertThat(styleOf(one("echo $# foo#bar # real", "bash"), "foo#bar")).isEqualTo(role(Role.CODE));
        assertThat(styleOf(one("echo $# foo#bar # real", "bash"), "# real")).isEqualTo(role(Role.COMMENT));
        assertThat(styleOf(one("fn f<'a>(c: char) -> char { 'x' }", "rust"), "'a")).isEqualTo(role(Role.CODE));
        assertThat(styleOf(one("fn f<'a>(c: char) -> char { 'x' }", "rust"), "'x'")).isEqualTo(role(Role.STRING));
        assertThat(styleOf(one("SELECT id FROM t -- note", "sql"), "SELECT")).isEqualTo(role(Role.KEYWORD));
        assertThat(styleOf(one("select id from t -- note", "sql"), "-- note")).isEqualTo(role(Role.COMMENT));
        assertThat(styleOf(one("#include <stdio.h>", "c"), "#include")).isEqualTo(role(Role.KEYWORD));
        assertThat(styleOf(one("  \"name\": \"lathe\",", "json"), "\"name\"")).isEqualTo(role(Role.TYPE));
        assertThat(styleOf(one("  \"name\": \"lathe\",", "json"), "\"lathe\"")).isEqualTo(role(Role.STRING));
        assertThat(styleOf(one("  - name: build # step", "yaml"), "name")).isEqualTo(role(Role.TYPE));
        assertThat(styleOf(one("  - name: build # step", "yaml"), "# step")).isEqualTo(role(Role.COMMENT));
        assertThat(styleOf(one("[tool.lathe]", "toml"), "[tool")).isEqualTo(role(Role.KEYWORD));
        assertThat(styleOf(one("max-lines = 3", "toml"), "max-lines")).isEqualTo(role(Role.TYPE));
        assertThat(styleOf(one("@Override void f()", "java"), "@Override")).isEqualTo(role(Role.TYPE));
    }

    @Test
    void paintsMarkupTagsAttributesAndComments() {
        List<AttributedString> xml = highlighter.highlight("<dependency scope=\"test\"\n    optional='true'>x</dependency> <!-- a\n b -->", "xml");
        assertThat(styleOf(xml.get(0), "<dependency")).isEqualTo(role(Role.KEYWORD));
        assertThat(styleOf(xml.get(0), "scope")).isEqualTo(role(Role.TYPE));
        assertThat(styleOf(xml.get(0), "\"test\"")).isEqualTo(role(Role.STRING));
        assertThat(styleOf(xml.get(1), "optional")).isEqualTo(role(Role.TYPE));
        assertThat(styleOf(xml.get(1), "x<")).isEqualTo(role(Role.CODE));
        assertThat(styleOf(xml.get(1), "<!--")).isEqualTo(role(Role.COMMENT));
        assertThat(styleOf(xml.get(2), "b")).isEqualTo(role(Role.COMMENT));
    }

    @Test
    void colorsDiffLinesBySign() {
        List<AttributedString> lines = highlighter.highlight("@@ -1 +1 @@\n-old\n+new\n same", "diff");
        assertThat(lines.get(1).styleAt(0)).isEqualTo(role(Role.DIFF_REMOVED));
        assertThat(lines.get(2).styleAt(0)).isEqualTo(role(Role.DIFF_ADDED));
        assertThat(lines.get(0).styleAt(0)).isEqualTo(role(Role.DIFF_HUNK));
    }

    @Test
    void leavesUnknownLanguagesAndMarkdownPlain() {
        for (String language : List.of("brainfuck", "", "md")) {
            AttributedString line = one("if (x) return \"y\"; // 1", language);
            for (int i = 0; i < line.length(); i++) assertThat(line.styleAt(i)).isEqualTo(role(Role.CODE));
        }
    }

    @Test
    void findsLanguagesByAliasAndPath() {
        assertThat(CodeHighlighter.language("TS").map(Language::name)).hasValue("typescript");
        assertThat(CodeHighlighter.language("c++").map(Language::name)).hasValue("cpp");
        assertThat(CodeHighlighter.language("zsh").map(Language::name)).hasValue("bash");
        assertThat(CodeHighlighter.language("yml").map(Language::name)).hasValue("yaml");
        assertThat(CodeHighlighter.forPath("core/src/Main.java").map(Language::name)).hasValue("java");
        assertThat(CodeHighlighter.forPath("web/App.tsx").map(Language::name)).hasValue("typescript");
        assertThat(CodeHighlighter.forPath("pom.xml").map(Language::name)).hasValue("html");
        assertThat(CodeHighlighter.forPath("Makefile").map(Language::name)).hasValue("bash");
        assertThat(CodeHighlighter.forPath("LICENSE")).isEmpty();
    }

    @Test
    void expandsTabsAndShowsControlCharacters() {
        assertThat(one("\tx\u0007", "java").toString()).isEqualTo("    x␇");
    }

    @Test
    void snippetsPerLanguageFamily() {
        var lines = new ArrayList<AttributedString>();
        snippet(lines, "java", """
                @Test
                public record Point(int x, int y) implements Shape {
                    static final double SCALE = 1.5e3; /* units */
                    String label() { return "(" + x + ", " + y + ")"; }
                }""");
        snippet(lines, "kotlin", "data class User(val name: String, val age: Int = 0) // kt");
        snippet(lines, "typescript", """
                export async function load(id: string): Promise<User | null> {
                  const url = `/users/${id}`; // template
                  return await fetch(url).then(r => r.json());
                }""");
        snippet(lines, "python", """
                @dataclass
                class Job:
                    \"\"\"A unit of work.\"\"\"
                    def run(self, n: int = 3) -> None:
                        print(f"running {n}")  # trace""");
        snippet(lines, "go", """
                func main() {
                	raw := `C:\\path`
                	fmt.Println(len(raw), 0xff, nil)
                }""");
        snippet(lines, "rust", "fn first<'a>(s: &'a str) -> Option<char> { s.chars().next().or(Some('?')) }");
        snippet(lines, "c", """
                #include <stdio.h>
                int main(void) { printf("%d\\n", 42); return 0; }""");
        snippet(lines, "csharp", "public sealed class Repo : IRepo { private readonly List<int> ids = new(); }");
        snippet(lines, "bash", """
                # deploy
                for f in *.jar; do
                  echo "copying $f" && cp "$f" /opt/app/ # done
                done""");
        snippet(lines, "json", "{\"name\": \"lathe\", \"version\": 1, \"private\": true, \"tags\": null}");
        snippet(lines, "yaml", """
                jobs:
                  build:
                    runs-on: ubuntu-latest # pinned
                    steps: [checkout, "test"]""");
        snippet(lines, "toml", """
                [server]
                port = 8080
                name = "lathe" # default""");
        snippet(lines, "sql", "SELECT s.id, count(*) FROM session s WHERE s.created_at > 100 -- recent");
        snippet(lines, "html", "<a href=\"/docs\" class='nav'>Docs</a> <!-- nav -->");
        snippet(lines, "css", ".button:hover { color: #ff8800; margin: 0 4px !important; } /* hover */");
        Snapshots.assertMatches("render-code-languages", lines);
    }

    private void snippet(List<AttributedString> out, String language, String code) {
        out.add(THEME.paint(Role.MUTED, language));
        out.addAll(highlighter.highlight(code, language));
    }
}
