package dev.lathe.tui;

/** The API key being typed, as the input sees it: whether one is, for whom, and where the line typed goes. */
interface ApiKeyEntry {
    /** Whether the input is taking an API key now (shown as dots, not kept in the history). */
    boolean takingKey();

    /** The provider whose key is being typed, or empty. */
    String keyProvider();

    /** The line typed while a key was asked for: saved by the server, never shown or kept. */
    void saveKey(String key);

    /** Esc while a key is asked for. */
    void cancelKey();
}
