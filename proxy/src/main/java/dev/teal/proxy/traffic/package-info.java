/**
 * Per-color traffic over a sliding window (requests, 5xx, latency), recorded on the request path without a
 * shared lock, read by the control plane to judge a release. Start at {@link dev.teal.proxy.traffic.TrafficWindows}.
 */
package dev.teal.proxy.traffic;
