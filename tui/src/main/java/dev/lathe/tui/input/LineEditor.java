package dev.lathe.tui.input;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jline.utils.WCWidth;

/**
 * The prompt being typed: a multi-line text buffer with a cursor, readline-style editing, paste placeholders and
 * completion triggers. Not thread-safe; the controller owns it on the input thread.
 *
 * <p>The cursor is an index into the buffer in UTF-16 chars, always on a code point boundary. A large paste is
 * stored as one placeholder char standing for {@code [Pasted text #N +L lines]}, so cursor movement and deletion
 * treat it as a single unit for free; {@link #display()} shows the label, {@link #text()} and {@link #submission()}
 * the pasted text. Control characters never enter the buffer (they would drive the terminal when drawn), except
 * newline and tab.
 */
public final class LineEditor {
    /** A paste with more lines than this, or more chars than {@link #PASTE_MAX_CHARS}, becomes a placeholder. */
    public static final int PASTE_MAX_LINES = 5;
    public static final int PASTE_MAX_CHARS = 1000;
    /** Columns a tab takes on screen (tabs are kept in the text; only their drawing is fixed-width). */
    static final int TAB_WIDTH = 4;

    // Unicode noncharacters U+FDD0–U+FDEF are reserved for internal use and never appear in interchanged text,
    // which makes them safe placeholder markers; 32 placeholders in one prompt is plenty (more paste as text).
    private static final char FIRST_MARKER = '\uFDD0';
    private static final char LAST_MARKER = '\uFDEF';

    private record Pasted(String text, String label) {}

    private final StringBuilder buf = new StringBuilder();
    private final Map<Character, Pasted> pastes = new HashMap<>();
    private int cursor;
    private int pasteCount;
    /** The column up/down aim for, kept across consecutive vertical moves so short lines do not pull it left; -1 = none. */
    private int goalColumn = -1;

    /**
     * An editor with this one's text, cursor and pastes that changes apart from it: the UI's reducer edits a copy, so a
     * state it was given stays as it was.
     */
    public LineEditor copy() {
        var c = new LineEditor();
        c.buf.append(buf);
        c.pastes.putAll(pastes);
        c.cursor = cursor;
        c.pasteCount = pasteCount;
        c.goalColumn = goalColumn;
        return c;
    }

    /** Inserts typed text at the cursor (line endings normalised, control characters dropped). */
    public void insert(String text) {
        String s = sanitize(text);
        buf.insert(cursor, s);
        cursor += s.length();
        goalColumn = -1;
    }

    /** Inserts a line break at the cursor. */
    public void newline() { insert("\n"); }

    /**
     * Inserts pasted text: as typed text when short, else as a placeholder {@code [Pasted text #N +L lines]}
     * (N counts placeholders since the last {@link #clear()}).
     */
    public void insertPaste(String text) {
        String s = sanitize(text);
        long lines = s.lines().count();
        Optional<Character> marker = freeMarker();
        if ((lines <= PASTE_MAX_LINES && s.length() <= PASTE_MAX_CHARS) || marker.isEmpty()) {
            insert(s);
            return;
        }
        pasteCount++;
        pastes.put(marker.get(), new Pasted(s, "[Pasted text #" + pasteCount + " +" + lines + (lines == 1 ? " line]" : " lines]")));
        buf.insert(cursor, marker.get().charValue());
        cursor++;
        goalColumn = -1;
    }

    public void deleteBackward() {
        if (cursor > 0) delete(buf.offsetByCodePoints(cursor, -1), cursor);
    }

    public void deleteForward() {
        if (cursor < buf.length()) delete(cursor, buf.offsetByCodePoints(cursor, 1));
    }

    public void deleteWordBackward() { delete(wordStartBefore(cursor), cursor); }

    public void deleteWordForward() { delete(cursor, wordEndAfter(cursor)); }

    /** Deletes to the end of the line; at the end of a line, joins the next line to it (as readline does). */
    public void killToEnd() {
        int end = lineEnd(cursor);
        delete(cursor, end == cursor && end < buf.length() ? end + 1 : end);
    }

    /** Deletes to the start of the line; at the start of a line, joins it to the previous one. */
    public void killToStart() {
        int start = lineStart(cursor);
        delete(start == cursor && start > 0 ? start - 1 : start, cursor);
    }

    public void moveLeft() { moveTo(cursor > 0 ? buf.offsetByCodePoints(cursor, -1) : 0); }

    public void moveRight() { moveTo(cursor < buf.length() ? buf.offsetByCodePoints(cursor, 1) : cursor); }

    /** To the start of the previous word (words are letters, digits and {@code _}, or runs of punctuation). */
    public void wordLeft() { moveTo(wordStartBefore(cursor)); }

    /** To the end of the next word. */
    public void wordRight() { moveTo(wordEndAfter(cursor)); }

    public void lineStart() { moveTo(lineStart(cursor)); }

    public void lineEnd() { moveTo(lineEnd(cursor)); }

    /**
     * Up one line, keeping the display column (wide characters count two). Returns false, without moving, on the
     * first line, so the controller can go to history instead. Lines are the text's own lines, not wrapped rows.
     */
    public boolean moveUp() {
        int start = lineStart(cursor);
        if (start == 0) return false;
        int goal = goalColumn >= 0 ? goalColumn : columns(start, cursor);
        cursor = atColumn(lineStart(start - 1), start - 1, goal);
        goalColumn = goal;
        return true;
    }

    /** Down one line, keeping the display column; false, without moving, on the last line. */
    public boolean moveDown() {
        int end = lineEnd(cursor);
        if (end == buf.length()) return false;
        int goal = goalColumn >= 0 ? goalColumn : columns(lineStart(cursor), cursor);
        cursor = atColumn(end + 1, lineEnd(end + 1), goal);
        goalColumn = goal;
        return true;
    }

    /** Empties the buffer and forgets pastes (placeholder numbering restarts at 1). */
    public void clear() {
        buf.setLength(0);
        pastes.clear();
        pasteCount = 0;
        cursor = 0;
        goalColumn = -1;
    }

    /** Replaces the whole text (a history entry, say), cursor at the end. */
    public void setText(String text) {
        clear();
        insert(text);
    }

    public boolean isEmpty() { return buf.isEmpty(); }

    /** Whether the text begins with {@code c}: read on every paint, so without expanding pastes. */
    public boolean startsWith(char c) { return !buf.isEmpty() && buf.charAt(0) == c; }

    /** The full text with pastes expanded; {@code setText(text())} reproduces it (without placeholders). */
    public String text() { return expand(true); }

    /** The text as shown: placeholders as their {@code [Pasted text #N +L lines]} labels. */
    public String display() { return expand(false); }

    /** What to send: {@link #text()} without leading blank lines and trailing whitespace. */
    public String submission() {
        return text().replaceFirst("^(?:[ \\t]*\\n)+", "").stripTrailing();
    }

    /** The cursor as an index into the buffer (a placeholder counts as one char); see {@link CompletionQuery}. */
    public int cursor() { return cursor; }

    /**
     * What the cursor's word asks to complete: a {@link CompletionQuery.Command} while the cursor is in the first
     * word of an input that starts with {@code /}, else a {@link CompletionQuery.File} when the word before the
     * cursor starts with {@code @}. Words end at whitespace and placeholders.
     */
    public Optional<CompletionQuery> completionQuery() {
        if (!buf.isEmpty() && buf.charAt(0) == '/') {
            int end = wordEnd(0);
            if (cursor >= 1 && cursor <= end) return Optional.of(new CompletionQuery.Command(buf.substring(1, cursor), 0, end));
        }
        int start = cursor;
        while (start > 0 && !isBoundary(buf.charAt(start - 1))) start--;
        if (start < cursor && buf.charAt(start) == '@') {
            return Optional.of(new CompletionQuery.File(buf.substring(start + 1, cursor), start, wordEnd(cursor)));
        }
        return Optional.empty();
    }

    /**
     * Replaces {@code [start, end)} (from a {@link CompletionQuery}) with {@code replacement} and puts the cursor after
     * it. A trailing space in the replacement is not doubled when whitespace already follows; the cursor then goes
     * past that whitespace instead.
     *
     * @throws IndexOutOfBoundsException when the range is not within the buffer
     */
    public void replace(int start, int end, String replacement) {
        java.util.Objects.checkFromToIndex(start, end, buf.length());
        String s = sanitize(replacement);
        boolean spaceFollows = end < buf.length() && Character.isWhitespace(buf.charAt(end));
        if (s.endsWith(" ") && spaceFollows) s = s.substring(0, s.length() - 1);
        buf.replace(start, end, s);
        cursor = start + s.length() + (replacement.endsWith(" ") && spaceFollows ? 1 : 0);
        goalColumn = -1;
    }

    // --- for EditorView ---

    /** The raw buffer, placeholders as single marker chars. */
    String buffer() { return buf.toString(); }

    /** The label drawn for the placeholder marker {@code c}, if {@code c} is one. */
    Optional<String> placeholderLabel(char c) {
        return isMarker(c) ? Optional.ofNullable(pastes.get(c)).map(Pasted::label) : Optional.empty();
    }

    /** Display columns of one code point of the buffer: a placeholder is its label's width, a tab {@link #TAB_WIDTH}. */
    int width(int cp) {
        if (cp == '\t') return TAB_WIDTH;
        if (cp <= 0xffff && isMarker((char) cp)) return placeholderLabel((char) cp).map(LineEditor::columns).orElse(0);
        return Math.max(0, WCWidth.wcwidth(cp));
    }

    static int columns(String s) {
        return s.codePoints().map(cp -> Math.max(0, WCWidth.wcwidth(cp))).sum();
    }

    // --- internals ---

    private void moveTo(int index) {
        cursor = index;
        goalColumn = -1;
    }

    private void delete(int start, int end) {
        buf.delete(start, end);
        cursor = start;
        goalColumn = -1;
    }

    private int lineStart(int at) { return buf.lastIndexOf("\n", at - 1) + 1; }

    private int lineEnd(int at) {
        int nl = buf.indexOf("\n", at);
        return nl < 0 ? buf.length() : nl;
    }

    private int columns(int from, int to) {
        int cols = 0;
        for (int i = from; i < to; i += Character.charCount(buf.codePointAt(i))) cols += width(buf.codePointAt(i));
        return cols;
    }

    /** The last index in {@code [start, end]} whose column does not pass {@code goal} (never inside a wide char). */
    private int atColumn(int start, int end, int goal) {
        int i = start;
        int col = 0;
        while (i < end) {
            int cp = buf.codePointAt(i);
            if (col + width(cp) > goal) break;
            col += width(cp);
            i += Character.charCount(cp);
        }
        return i;
    }

    private int wordEnd(int from) {
        int end = from;
        while (end < buf.length() && !isBoundary(buf.charAt(end))) end++;
        return end;
    }

    private int wordStartBefore(int from) {
        int i = from;
        while (i > 0 && kind(buf.codePointBefore(i)) == Kind.SPACE) i = buf.offsetByCodePoints(i, -1);
        if (i == 0) return 0;
        Kind k = kind(buf.codePointBefore(i));
        if (k == Kind.PLACEHOLDER) return i - 1;
        while (i > 0 && kind(buf.codePointBefore(i)) == k) i = buf.offsetByCodePoints(i, -1);
        return i;
    }

    private int wordEndAfter(int from) {
        int i = from;
        while (i < buf.length() && kind(buf.codePointAt(i)) == Kind.SPACE) i = buf.offsetByCodePoints(i, 1);
        if (i == buf.length()) return i;
        Kind k = kind(buf.codePointAt(i));
        if (k == Kind.PLACEHOLDER) return i + 1;
        while (i < buf.length() && kind(buf.codePointAt(i)) == k) i = buf.offsetByCodePoints(i, 1);
        return i;
    }

    private enum Kind { SPACE, WORD, PUNCTUATION, PLACEHOLDER }

    private static Kind kind(int cp) {
        if (Character.isWhitespace(cp)) return Kind.SPACE;
        if (cp <= 0xffff && isMarker((char) cp)) return Kind.PLACEHOLDER;
        if (Character.isLetterOrDigit(cp) || cp == '_' || Character.getType(cp) == Character.NON_SPACING_MARK) return Kind.WORD;
        return Kind.PUNCTUATION;
    }

    private static boolean isBoundary(char c) { return Character.isWhitespace(c) || isMarker(c); }

    private static boolean isMarker(char c) { return c >= FIRST_MARKER && c <= LAST_MARKER; }

    private Optional<Character> freeMarker() {
        for (char c = FIRST_MARKER; c <= LAST_MARKER; c++) {
            if (buf.indexOf(String.valueOf(c)) < 0) return Optional.of(c);
        }
        return Optional.empty();
    }

    private String expand(boolean content) {
        var out = new StringBuilder(buf.length());
        for (int i = 0; i < buf.length(); i++) {
            char c = buf.charAt(i);
            Pasted p = isMarker(c) ? pastes.get(c) : null;
            if (p == null) out.append(c);
            else out.append(content ? p.text() : p.label());
        }
        return out.toString();
    }

    /** Text as it may enter the buffer: LF line ends, no control characters but tab, no markers, no lone surrogates. */
    static String sanitize(String text) {
        String s = text.replace("\r\n", "\n").replace('\r', '\n');
        var out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean control = (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp < 0xa0);
            boolean marker = cp >= FIRST_MARKER && cp <= LAST_MARKER;
            boolean loneSurrogate = cp >= 0xd800 && cp <= 0xdfff;
            if (!control && !marker && !loneSurrogate) out.appendCodePoint(cp);
        }
        return out.toString();
    }
}
