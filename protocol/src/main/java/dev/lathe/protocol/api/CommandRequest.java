package dev.lathe.protocol.api;

/** Body of {@code POST /sessions/{id}/command}: a slash command by name (without the {@code /}) and its argument text. */
public record CommandRequest(String name, String arguments) {
    public static CommandRequest of(String name) { return new CommandRequest(name, ""); }
}
