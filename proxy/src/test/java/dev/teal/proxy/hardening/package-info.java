/**
 * The hardening catalogue (design/hardening.md) as tests, one per row, named by its id: framing and
 * smuggling (S), limits and slow clients (L), headers (H), faults (D). Start at {@code FramingIT}.
 */
package dev.teal.proxy.hardening;
