package dev.lathe.app;

/** {@code --format}: {@code text} streams the answer; {@code json} prints every event as one JSON object per line. */
enum OutputFormat { text, json }
