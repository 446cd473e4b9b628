/**
 * The data plane's meters, named in one place: requests, refusals, upstream errors, connections and
 * backend health. Start at {@link dev.teal.proxy.metrics.ProxyMetrics}.
 */
package dev.teal.proxy.metrics;
