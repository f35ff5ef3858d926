/**
 * The plugin SPI ({@link dev.lathe.tools.plugin.LathePlugin}): what a third-party jar implements to add tools and event
 * listeners to Lathe, found with {@link java.util.ServiceLoader}. It lives in {@code tools} because a plugin's tools
 * implement the {@link dev.lathe.tools.Tool} SPI anyway: a plugin then compiles against one artifact and the protocol's
 * records. The core loads plugins ({@code dev.lathe.core.plugin}). Imports protocol ({@code EventListener}) and the tool
 * SPI only.
 */
package dev.lathe.tools.plugin;
