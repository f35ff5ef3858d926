/**
 * OpenTelemetry (DESIGN §29, §18 "Integrations (§29)"): traces in the GenAI semantic conventions and metrics, sent over
 * OTLP/HTTP when the user configures a collector. {@link dev.lathe.core.telemetry.TelemetrySwitch} is the one place that
 * decides whether telemetry is on; {@link dev.lathe.core.telemetry.TracedEvents} sits on the cluster port's events (as
 * notifications do) and hands this node's own appends, unchanged, to one listener on a thread of its own. Nothing here
 * names an OpenTelemetry class: the SDK is named only in {@code core.telemetry.otel}, loaded when telemetry is on, so a
 * server without it never loads one. Imports {@code core.bus} (the events port it decorates) and {@code core.config}
 * (the user's {@code telemetry}).
 */
package dev.lathe.core.telemetry;
