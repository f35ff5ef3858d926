/**
 * Cron schedules (DESIGN §18 and §22 "Schedules"): {@link dev.lathe.core.schedule.Schedules} adds, lists and removes
 * them and runs what is due, each due time claimed in the store ({@code core.store.ScheduleStore}) before its session
 * starts, so one node of a team server runs it and a server that was down runs the latest missed time once;
 * {@link dev.lathe.core.schedule.CronExpression} reads the five cron fields and says when they fire in a zone. Imports
 * {@code core.store} and the protocol's records; the session a run starts is made by the composition root's starter.
 */
package dev.lathe.core.schedule;
