package dev.lathe.llm;

/**
 * How long the provider keeps a request's stable blocks (tools and system) cached: its default (five minutes), or one
 * hour where the wire offers it (Anthropic Messages, {@code "ttl": "1h"}), which a session chooses once when it is the
 * cheaper way across a pause (DESIGN §28, decision 504). The moving breakpoints on the messages keep the default.
 */
public enum CacheTtl {
    DEFAULT, ONE_HOUR
}
