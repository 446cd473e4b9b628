/**
 * One request's journey from client to backend and back: the exchange state machine, its deadlines,
 * retries and the access log line. Start at {@link dev.teal.proxy.exchange.ClientConnection}, which hands each request to an {@code Exchange}.
 */
package dev.teal.proxy.exchange;
