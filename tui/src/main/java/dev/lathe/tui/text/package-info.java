/**
 * Styled text for the terminal: the {@link dev.lathe.tui.text.Theme} (roles to styles, {@code NO_COLOR}) and
 * {@link dev.lathe.tui.text.Wrap} (word wrapping by display columns). Everything the UI draws is a list of JLine
 * {@code AttributedString} lines no wider than the width it was given. Imports JLine only.
 */
package dev.lathe.tui.text;
