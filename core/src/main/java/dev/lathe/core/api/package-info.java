/**
 * The in-process implementation of {@code LatheApi} over the core services, used by the HTTP server and by
 * {@code lathe run} when no daemon runs. Imports every core package.
 */
package dev.lathe.core.api;
