/** Server-sent events parsing shared by every streaming protocol. Imports nothing internal. */
package dev.lathe.llm.sse;
