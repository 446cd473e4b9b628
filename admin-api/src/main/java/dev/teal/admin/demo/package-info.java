/**
 * {@code teal demo}: a blue and a green demo web application with server-side sessions, and teal in
 * front of them. Start at {@link dev.teal.admin.demo.Demo}; the application is {@code DemoApp}.
 */
package dev.teal.admin.demo;
