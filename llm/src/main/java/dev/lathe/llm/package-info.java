/**
 * The provider-agnostic model API: requests, the normalised event stream, errors, providers as data, and the
 * {@link dev.lathe.llm.Protocol} SPI that each wire-protocol package implements. Imports nothing internal.
 */
package dev.lathe.llm;
