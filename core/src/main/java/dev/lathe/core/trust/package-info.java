/**
 * Folder trust (DESIGN §10, §14, §18): which folders the user trusted ({@link dev.lathe.core.trust.TrustedFolders}, a
 * file in the data folder that {@code lathe trust} and the clients' first-open question write, read afresh by the
 * server whenever it changed) and what an untrusted folder defined that was withheld
 * ({@link dev.lathe.core.trust.Withheld}). What a project defines that runs code or receives secrets takes effect only
 * in a trusted folder; the config loader, the custom commands and the model resolver consult this package to decide.
 * Imports Jackson and nothing else in core.
 */
package dev.lathe.core.trust;
