/** Provider keys saved by {@code lathe auth login}, in a 0600 file of the data folder. Imports nothing of Lathe. */
package dev.lathe.core.auth;
