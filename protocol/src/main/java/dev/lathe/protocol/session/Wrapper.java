package dev.lathe.protocol.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every synthetic wrapper the model reads around text Lathe did not write (DESIGN §18 "Unattended work (§26)", decision
 * 465): a background child's answer, a teammate's message, a goal check's output, a GitHub user's text, a language
 * server's diagnostics, a file a command template includes, an MCP resource, an editor's attached text. Each is
 * {@code <TAG ATTR="VALUE"…>}, a line break, the body, a line break, {@code </TAG>}, and this is the one place that
 * writes one: a rule test ({@code WrapperRuleTest}) fails when another source file spells one of these tags in a string.
 *
 * <p>The escaping is one function for all of them ({@link #escape}): no {@code <} survives in a body or an attribute
 * value, so nothing inside can open or close any tag, whatever its case, spacing or the characters that follow; the
 * characters that look like {@code <} (fullwidth, small, angle brackets) become numeric references too. {@code >} stays
 * as it is in a body (it opens nothing), so code reads as code apart from its {@code <}. An {@code &} is escaped only
 * where it would start one of the references {@link #unescape} reads back, so the original text is recovered exactly
 * and an entity already in the text ({@code &lt;task-result}) reaches the model as the text typed it, never decoded.
 */
public enum Wrapper {
    /** A background child's end (DESIGN §18 "Background subagents"): its final answer. */
    TASK_RESULT("task-result", "id", "status"),
    /** What a background command printed that its monitor caught, or its end (DESIGN §32): its id and what happened. */
    PROCESS_OUTPUT("process-output", "id"),
    /** A foreground child's final answer in its {@code task} call's result (OpenCode's tag, underscore and all). */
    SUBAGENT_RESULT("task_result"),
    /** A teammate's message (DESIGN §18 "Agent teams"): its sender's text. */
    MESSAGE("message", "from"),
    /** The end of a goal loop's check output ({@code lathe run --until}). */
    CHECK_OUTPUT("check-output"),
    /** Text a GitHub user wrote (an issue, a comment, a pull request), placed after Lathe's instructions as data. */
    GITHUB_TEXT("github-text", "author", "source"),
    /** A language server's problems for one file after an edit (DESIGN §18). */
    DIAGNOSTICS("diagnostics", "file"),
    /** A file a command template includes with {@code @path}. */
    FILE("file", "path"),
    /** An MCP server's resource text (attached with {@code @server:uri}, or in a tool's result) of no stated type. */
    RESOURCE("resource", "uri"),
    /** An MCP server's resource text of a stated MIME type. */
    TYPED_RESOURCE("resource", "uri", "mime"),
    /** A resource an ACP editor attached to the prompt (a selection, a file's text). */
    CONTEXT("context", "uri"),
    /** An MCP tool a deferred-tool search found: its server's description. */
    TOOL("tool", "name"),
    /**
     * The turns of a session an ACP agent takes over (DESIGN §18): users', models' and tools' text, any of which may
     * hold {@code </conversation-so-far>} to end the hand-off early and speak as Lathe after it.
     */
    CONVERSATION_SO_FAR("conversation-so-far"),
    /**
     * One of the user's own messages in an auto-approval classifier's request (DESIGN §31): the only text that may
     * authorize a call, so nothing else (a tool call's arguments) may open one.
     */
    USER_MESSAGE("user_message"),
    /** The tool call an auto-approval classifier decides: its arguments are the model's, and may hold any text. */
    CALL("call");

    private final String tag;
    private final List<String> attributes;
    private final Pattern shape;

    Wrapper(String tag, String... attributes) {
        this.tag = tag;
        this.attributes = List.of(attributes);
        var regex = new StringBuilder("\\A<").append(Pattern.quote(tag));
        for (String a : attributes) regex.append(' ').append(Pattern.quote(a)).append("=\"([^\"<]*)\"");
        // the body may hold a "<" in a message stored before decision 465 escaped them all: still read as written
        this.shape = Pattern.compile(regex.append(">\\n(.*)\\n</").append(Pattern.quote(tag)).append(">\\z").toString(), Pattern.DOTALL);
    }

    /** What {@link #wrap} wrote, read back: the attribute values in this wrapper's order, and the body, as they were given. */
    public record Unwrapped(List<String> values, String body) {}

    /** {@code text} read as {@link #wrap} writes it (the whole text, nothing around it); empty for any other shape. */
    public Optional<Unwrapped> unwrap(String text) {
        var m = shape.matcher(text);
        if (!m.matches()) return Optional.empty();
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= attributes.size(); i++) values.add(unescape(m.group(i)));
        return Optional.of(new Unwrapped(List.copyOf(values), unescape(m.group(attributes.size() + 1))));
    }

    /** The tag's name, e.g. {@code task-result}. */
    public String tag() {
        return tag;
    }

    /** The names of its attributes, in the order {@link #opening} takes their values. */
    public List<String> attributes() {
        return attributes;
    }

    /** The opening tag with these attribute values (escaped), one per attribute this wrapper has, in its order. */
    public String opening(String... values) {
        if (values.length != attributes.size()) {
            throw new IllegalArgumentException("<" + tag + "> takes " + attributes + ", not " + values.length + " values");
        }
        var out = new StringBuilder("<").append(tag);
        for (int i = 0; i < values.length; i++) out.append(' ').append(attributes.get(i)).append("=\"").append(attribute(values[i])).append('"');
        return out.append('>').toString();
    }

    /** The closing tag. */
    public String closing() {
        return "</" + tag + ">";
    }

    /** {@code body} escaped inside this wrapper: the opening tag, a line break, the body, a line break, the closing tag. */
    public String wrap(String body, String... values) {
        return opening(values) + "\n" + escape(body) + "\n" + closing();
    }

    /** The characters, other than {@code <}, that a reader could take for one: written as numeric references. */
    static final String LOOKALIKES = "\u02C2\u1438\u2039\u2329\u27E8\u276C\u276E\u3008\uFE64\uFF1C";

    /**
     * A wrapper's body made inert: every {@code <} becomes {@code &lt;}, every look-alike of it a numeric reference, and an
     * {@code &} that would start a reference {@link #unescape} reads becomes {@code &amp;}. Everything else is kept.
     */
    public static String escape(String body) {
        return escaped(body, false);
    }

    /** An attribute value made inert: as {@link #escape}, and {@code "}, {@code >} and control characters escaped too. */
    public static String attribute(String value) {
        return escaped(value, true);
    }

    private static String escaped(String text, boolean inAttribute) {
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp == '<') out.append("&lt;");
            else if (cp == '&' && References.startsAt(text, i)) out.append("&amp;");
            else if (LOOKALIKES.indexOf(cp) >= 0) References.numeric(out, cp);
            else if (inAttribute && cp == '"') out.append("&quot;");
            else if (inAttribute && cp == '>') out.append("&gt;");
            else if (inAttribute && (cp < 0x20 || cp == 0x7F || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR)) References.numeric(out, cp);
            else out.appendCodePoint(cp);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** What {@link #escape} or {@link #attribute} made, read back: the text exactly as it was given. */
    public static String unescape(String text) {
        return References.decode(text);
    }
}
