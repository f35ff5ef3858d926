package dev.lathe.tools.builtin.patch;

import java.util.List;

/**
 * How strictly a hunk's context must equal the file, tried in this order: a model's copy is most often exact, then
 * off by trailing spaces, then by indentation, then by typography (an editor or the model turned quotes curly).
 */
enum ContextLevel {
    EXACT {
        @Override String normalise(String line) { return line; }
    },
    RSTRIP {
        @Override String normalise(String line) { return line.stripTrailing(); }
    },
    TRIM {
        @Override String normalise(String line) { return line.strip(); }
    },
    UNICODE {
        @Override String normalise(String line) { return ascii(line).strip(); }
    };

    abstract String normalise(String line);

    boolean sameAt(List<String> file, int at, List<String> wanted) {
        for (int k = 0; k < wanted.size(); k++) if (!normalise(file.get(at + k)).equals(normalise(wanted.get(k)))) return false;
        return true;
    }

    /** Typographic punctuation and exotic spaces as their plain ASCII look-alikes. */
    static String ascii(String s) {
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032' -> out.append('\'');
                case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033' -> out.append('"');
                case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212' -> out.append('-');
                case '\u2026' -> out.append("...");
                case '\u00A0', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u202F', '\u205F',
                        '\u3000' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
