package dev.lathe.core.permission.bash;

/**
 * One shell word after quote removal. {@code value} is null when the word is not statically known (it holds a
 * variable, a command substitution, a brace expansion, …); {@code raw} is the source text, kept so an unknown word
 * can still be shown and matched. {@code glob} marks unquoted {@code * ? [} that the shell would expand.
 */
record Word(String value, String raw, boolean glob) {
    static Word literal(String s) { return new Word(s, s, false); }

    boolean known() { return value != null; }

    /** What goes into the normalised command line: the value, or the source text when unknown. */
    String shown() { return value != null ? value : raw; }
}
