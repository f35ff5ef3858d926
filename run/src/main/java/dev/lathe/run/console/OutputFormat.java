package dev.lathe.run.console;

/** {@code --format}: {@code text} streams the answer; {@code json} prints every event as one JSON object per line. */
public enum OutputFormat { text, json }
