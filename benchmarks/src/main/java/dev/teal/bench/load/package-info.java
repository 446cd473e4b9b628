/**
 * Helpers of the load scripts in {@code benchmarks/load/}: backends and clients they start as separate JVMs.
 * Start at {@link dev.teal.bench.load.StreamingBackend} (used by {@code streaming.sh}).
 */
package dev.teal.bench.load;
