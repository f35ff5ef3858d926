package dev.lathe.tui.screen;

/** A cell of the live region: {@code row} from its top, {@code column} in display columns. */
public record Cursor(int row, int column) {}
