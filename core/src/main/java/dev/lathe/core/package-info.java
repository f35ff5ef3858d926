/**
 * The core's composition root: {@link dev.lathe.core.LatheCore} opens the database, repairs what a crash left
 * behind, and wires the bus, projects, sessions and permission broker by hand.
 */
package dev.lathe.core;
