/**
 * The provider-agnostic model API: requests, the normalised event stream, errors, providers as data, cancellation,
 * the retry policy ({@link dev.lathe.llm.RetryPolicy}, applied by the core's turn), and the
 * {@link dev.lathe.llm.Protocol} SPI that each wire-protocol package implements. Nothing outside {@code llm}:
 * {@link dev.lathe.llm.Protocols} and {@link dev.lathe.llm.Codecs}, the registries of every protocol, name the protocol
 * packages and {@code llm.http}, and {@link dev.lathe.llm.TokenEstimate} counts with {@code llm.bpe}; the rest of this
 * package imports nothing internal.
 */
package dev.lathe.llm;
