package dev.lathe.protocol.session;

/** A file a tool hands to the model beside its text (an image the read tool opened): {@code url} is a {@code data:} URL. */
public record Attachment(String mime, String name, String url) {
    /** The base64 payload of the data URL. */
    public String base64() {
        int comma = url.indexOf(',');
        return comma < 0 ? "" : url.substring(comma + 1);
    }
}
