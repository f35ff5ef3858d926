package dev.lathe.tui.render;

import static dev.lathe.tui.render.Language.Trait.CAPITALISED_TYPES;
import static dev.lathe.tui.render.Language.Trait.CHAR_LITERALS;
import static dev.lathe.tui.render.Language.Trait.COLON_KEYS;
import static dev.lathe.tui.render.Language.Trait.COMMENT_AT_WORD_START;
import static dev.lathe.tui.render.Language.Trait.DASHED_WORDS;
import static dev.lathe.tui.render.Language.Trait.EQUALS_KEYS;
import static dev.lathe.tui.render.Language.Trait.IGNORE_CASE;
import static dev.lathe.tui.render.Language.Trait.PREPROCESSOR;
import static dev.lathe.tui.render.Language.Trait.STRING_KEYS;

import dev.lathe.tui.render.Language.Delimiters;
import dev.lathe.tui.render.Language.Kind;
import dev.lathe.tui.render.Language.Quote;
import dev.lathe.tui.render.Language.Trait;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The table of languages the highlighter knows, by name, alias and file extension. */
final class Languages {
    private static final Delimiters C_BLOCK = new Delimiters("/*", "*/");
    private static final Quote DQ = new Quote("\"", "\"", false, true);
    private static final Quote SQ = new Quote("'", "'", false, true);
    private static final Quote TRIPLE_DQ = new Quote("\"\"\"", "\"\"\"", true, true);
    private static final Quote TRIPLE_SQ = new Quote("'''", "'''", true, true);
    private static final Quote BACKTICK = new Quote("`", "`", true, true);

    static final Language PLAIN = new Language("text", Kind.PLAIN, Set.of(), List.of(), List.of(), List.of(), Set.of());

    private static final Map<String, Language> BY_NAME = new HashMap<>();
    private static final Map<String, Language> BY_EXTENSION = new HashMap<>();

    static {
        add(code("java", words("""
                abstract assert boolean break byte case catch char class const continue default do double else enum
                extends final finally float for goto if implements import instanceof int interface long native new
                package private protected public return short static strictfp super switch synchronized this throw
                throws transient try void volatile while var record sealed permits non-sealed yield true false null"""),
                List.of("//"), List.of(C_BLOCK), List.of(TRIPLE_DQ, DQ, SQ), EnumSet.of(CAPITALISED_TYPES)), "java:java");
        add(code("kotlin", words("""
                as break class continue do else false for fun if in interface is null object package return super this
                throw true try typealias typeof val var when while by catch constructor companion data enum external
                final finally get import init inner internal lateinit open operator out override private protected
                public reified sealed set suspend tailrec vararg"""),
                List.of("//"), List.of(C_BLOCK), List.of(TRIPLE_DQ, DQ, SQ), EnumSet.of(CAPITALISED_TYPES)), "kotlin,kt,kts:kt,kts");
        var js = words("""
                async await break case catch class const continue debugger default delete do else export extends
                false finally for from function if import in instanceof let new null of return static super switch
                this throw true try typeof undefined var void while with yield""");
        add(code("javascript", js, List.of("//"), List.of(C_BLOCK), List.of(DQ, SQ, BACKTICK), EnumSet.of(CAPITALISED_TYPES)),
                "javascript,js,jsx,node,mjs,cjs:js,jsx,mjs,cjs");
        add(code("typescript", union(js, words("""
                abstract any as boolean declare enum implements interface keyof namespace never number private
                protected public readonly satisfies string symbol type unknown""")),
                List.of("//"), List.of(C_BLOCK), List.of(DQ, SQ, BACKTICK), EnumSet.of(CAPITALISED_TYPES)), "typescript,ts,tsx:ts,tsx,mts,cts");
        add(code("python", words("""
                False None True and as assert async await break class continue def del elif else except finally for
                from global if import in is lambda match case nonlocal not or pass raise return try while with yield
                self int float str bool bytes list dict set tuple object"""),
                List.of("#"), List.of(), List.of(TRIPLE_DQ, TRIPLE_SQ, DQ, SQ), EnumSet.of(CAPITALISED_TYPES)), "python,py,python3:py,pyi");
        add(code("go", words("""
                break case chan const continue default defer else fallthrough for func go goto if import interface map
                package range return select struct switch type var true false nil iota bool byte error float32 float64
                int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any"""),
                // Not CAPITALISED_TYPES: in Go every exported name is capitalised, functions included.
                List.of("//"), List.of(C_BLOCK), List.of(DQ, new Quote("`", "`", true, false), SQ), EnumSet.noneOf(Trait.class)), "go,golang:go");
        add(code("rust", words("""
                as async await break const continue crate dyn else enum extern false fn for if impl in let loop match
                mod move mut pub ref return self Self static struct super trait true type unsafe use where while
                bool char str u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64"""),
                List.of("//"), List.of(C_BLOCK), List.of(DQ, SQ), EnumSet.of(CAPITALISED_TYPES, CHAR_LITERALS)), "rust,rs:rs");
        var c = words("""
                auto break case char const continue default do double else enum extern float for goto if inline int
                long register restrict return short signed sizeof static struct switch typedef union unsigned void
                volatile while bool true false NULL""");
        add(code("c", c, List.of("//"), List.of(C_BLOCK), List.of(DQ, SQ), EnumSet.of(PREPROCESSOR)), "c,h:c,h");
        add(code("cpp", union(c, words("""
                alignas alignof catch class constexpr consteval decltype delete explicit export friend mutable namespace
                new noexcept nullptr operator override private protected public static_assert template this throw try
                typename using virtual co_await co_return co_yield concept requires final""")),
                List.of("//"), List.of(C_BLOCK), List.of(DQ, SQ), EnumSet.of(PREPROCESSOR, CAPITALISED_TYPES)),
                "cpp,c++,cxx,cc,hpp:cpp,cxx,cc,hpp,hh,hxx");
        add(code("csharp", words("""
                abstract as base bool break byte case catch char checked class const continue decimal default delegate
                do double else enum event explicit extern false finally fixed float for foreach goto if implicit in int
                interface internal is lock long namespace new null object operator out override params private
                protected public readonly record ref return sbyte sealed short sizeof static string struct switch this
                throw true try typeof uint ulong unchecked unsafe ushort using var virtual void volatile while async
                await get set init value yield"""),
                List.of("//"), List.of(C_BLOCK), List.of(TRIPLE_DQ, DQ, SQ), EnumSet.of(CAPITALISED_TYPES, PREPROCESSOR)), "csharp,c#,cs:cs");
        add(code("bash", words("""
                if then else elif fi case esac for select while until do done in function time return exit export
                local readonly declare unset shift break continue source echo cd set"""),
                List.of("#"), List.of(), List.of(new Quote("\"", "\"", true, true), new Quote("'", "'", true, false)),
                EnumSet.of(COMMENT_AT_WORD_START, DASHED_WORDS)), "bash,sh,zsh,shell,console,shellscript,ksh:sh,bash,zsh,ksh");
        add(code("json", words("true false null"), List.of(), List.of(), List.of(DQ), EnumSet.of(STRING_KEYS)), "json,jsonc,json5:json");
        add(code("yaml", words("true false null yes no on off"), List.of("#"), List.of(),
                List.of(DQ, new Quote("'", "'", false, false)), EnumSet.of(COLON_KEYS, COMMENT_AT_WORD_START, DASHED_WORDS)), "yaml,yml:yaml,yml");
        add(code("toml", words("true false"), List.of("#"), List.of(),
                List.of(TRIPLE_DQ, new Quote("'''", "'''", true, false), DQ, new Quote("'", "'", false, false)),
                EnumSet.of(EQUALS_KEYS, DASHED_WORDS)), "toml,ini,cfg,properties:toml,ini,cfg,properties");
        add(code("sql", words("""
                select from where and or not insert into values update set delete create table index view drop alter
                add column primary key foreign references join inner left right outer full on as group by order having
                limit offset union all distinct case when then else end is null like in between exists begin commit
                rollback transaction with recursive default unique check constraint integer int text varchar char
                boolean real blob date timestamp returning conflict do nothing replace if asc desc count true false"""),
                List.of("--"), List.of(C_BLOCK), List.of(new Quote("'", "'", false, false), DQ), EnumSet.of(IGNORE_CASE)), "sql,sqlite,postgres,postgresql,mysql:sql");
        add(code("css", words("important inherit initial unset none auto"), List.of(), List.of(C_BLOCK), List.of(DQ, SQ),
                EnumSet.of(DASHED_WORDS)), "css,scss,less:css,scss,less");
        add(new Language("html", Kind.MARKUP, Set.of(), List.of(), List.of(new Delimiters("<!--", "-->")), List.of(DQ, SQ), Set.of()),
                "html,htm,xhtml,xml,svg,xsd,xsl,pom,vue:html,htm,xhtml,xml,svg,xsd,xsl,plist,vue");
        add(new Language("diff", Kind.DIFF, Set.of(), List.of(), List.of(), List.of(), Set.of()), "diff,patch,udiff:diff,patch");
        add(new Language("markdown", Kind.PLAIN, Set.of(), List.of(), List.of(), List.of(), Set.of()), "markdown,md,mdx:md,markdown,mdx");
        add(PLAIN, "text,txt,plain,plaintext:txt");
    }

    private Languages() {}

    static Optional<Language> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
    }

    static Optional<Language> byPath(String path) {
        String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
        return switch (file) {
            case "makefile", "dockerfile", ".bashrc", ".zshrc", ".profile", ".envrc" -> byName("bash");
            case "pom.xml" -> byName("xml");
            default -> {
                int dot = file.lastIndexOf('.');
                yield dot < 0 ? Optional.empty() : Optional.ofNullable(BY_EXTENSION.get(file.substring(dot + 1)));
            }
        };
    }

    /** Registers {@code language} under {@code "alias,alias:ext,ext"}. */
    private static void add(Language language, String names) {
        String[] parts = names.split(":", -1);
        for (String n : parts[0].split(",")) BY_NAME.put(n, language);
        BY_NAME.put(language.name(), language);
        for (String e : parts[1].split(",")) if (!e.isEmpty()) BY_EXTENSION.put(e, language);
    }

    private static Language code(String name, Set<String> keywords, List<String> lineComments, List<Delimiters> blocks,
                                 List<Quote> quotes, EnumSet<Trait> traits) {
        return new Language(name, Kind.CODE, keywords, lineComments, blocks, quotes, traits);
    }

    private static Set<String> words(String text) {
        return Set.copyOf(List.of(text.strip().split("\\s+")));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
