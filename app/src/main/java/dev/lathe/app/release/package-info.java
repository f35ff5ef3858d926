/**
 * Releases seen from a running copy (DESIGN §25, decision 450): how this copy was installed ({@link Installation}),
 * release versions and their order ({@link ReleaseVersion}), the newest release at the download base URL
 * ({@link ReleaseChannel}), installing one with the install script this jar carries ({@link ScriptInstall}) and the
 * once-a-day "new version" notice's gate ({@link UpdateCheck}). Imports the JDK, Jackson and the app's
 * {@code CiVariable}.
 */
package dev.lathe.app.release;
