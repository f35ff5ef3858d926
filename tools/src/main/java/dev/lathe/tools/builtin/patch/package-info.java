/**
 * The {@code *** Begin Patch} format of {@code apply_patch} (DESIGN §9): {@link
 * dev.lathe.tools.builtin.patch.PatchParser} reads it into a {@link dev.lathe.tools.builtin.patch.Patch} (add, delete,
 * update, move) and {@link dev.lathe.tools.builtin.patch.HunkApplier} applies an update's hunks with exact, then
 * rstrip, trim and unicode-normalised context matching. Pure text in and out; imports {@code dev.lathe.tools} only
 * for {@code ToolFailure}.
 */
package dev.lathe.tools.builtin.patch;
