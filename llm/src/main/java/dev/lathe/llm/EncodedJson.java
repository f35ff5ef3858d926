package dev.lathe.llm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * A JSON value encoded once, as UTF-8 bytes, for a generator to write as it is ({@code writeRawValue}): a part of a
 * request body that repeats from step to step ({@link EncodedJsonCache}). Only the bytes are kept; the quoted forms
 * Jackson offers for names and strings are made from them when asked, which writing a raw value never does.
 */
public final class EncodedJson implements SerializableString {
    private final byte[] utf8;

    public EncodedJson(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** The size in bytes, what a cache of these counts. */
    public int size() { return utf8.length; }

    @Override
    public String getValue() { return new String(utf8, StandardCharsets.UTF_8); }

    @Override
    public int charLength() { return getValue().length(); }

    /**
     * The bytes themselves, not a copy, as Jackson's own {@link SerializedString} hands out its cached ones: a generator
     * writes a value too large for its buffer from here, at every step, and only reads it.
     */
    @Override
    public byte[] asUnquotedUTF8() { return utf8; }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + utf8.length > buffer.length) return -1;
        System.arraycopy(utf8, 0, buffer, offset, utf8.length);
        return utf8.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < utf8.length) return -1;
        buffer.put(utf8);
        return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) { return quoting().appendUnquoted(buffer, offset); }

    @Override
    public char[] asQuotedChars() { return quoting().asQuotedChars(); }

    @Override
    public byte[] asQuotedUTF8() { return quoting().asQuotedUTF8(); }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) { return quoting().appendQuotedUTF8(buffer, offset); }

    @Override
    public int appendQuoted(char[] buffer, int offset) { return quoting().appendQuoted(buffer, offset); }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException { return quoting().writeQuotedUTF8(out); }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException { return quoting().putQuotedUTF8(buffer); }

    /** The text as Jackson's own serialized string, for the quoted forms (escaped as a JSON string's content). */
    private SerializedString quoting() { return new SerializedString(getValue()); }

    @Override
    public String toString() { return getValue(); }
}
