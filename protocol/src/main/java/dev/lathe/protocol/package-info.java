/**
 * Typed ids shared by every module. Imports nothing internal; no I/O.
 */
package dev.lathe.protocol;
