/**
 * One request's journey from client to backend and back: the exchange state machine, its deadlines,
 * retries and the access log line. Start at {@link dev.teal.proxy.exchange.ProxyHandler}.
 */
package dev.teal.proxy.exchange;
