package dev.lathe.protocol.api;

/**
 * Answer of {@code POST /login/code}: a one-time code for the web UI. Opening {@code url} in a browser (within
 * {@code expiresAt}, epoch millis) trades the code for an HttpOnly session cookie; the code then stops working.
 * {@code qr} is a {@code data:image/svg+xml} URL of a QR code of {@code url}, for logging in a phone.
 */
public record LoginCode(String code, String url, long expiresAt, String qr) {
    /** Hides the code. */
    @Override public String toString() { return "LoginCode[url=<hidden>, expiresAt=" + expiresAt + "]"; }
}
