/**
 * Test-only helpers for end-to-end tests: {@link dev.lathe.testkit.FakeLlm}, a loopback server speaking the real
 * OpenAI Chat Completions, OpenAI Responses and Anthropic Messages streaming formats from scripted turns (with faults),
 * and {@link dev.lathe.testkit.TempWorkspace}, a temporary project folder with real git. Imports nothing internal.
 */
package dev.lathe.testkit;
