/**
 * The hardening catalogue's rows that need the control plane or a whole teal process: the admin API (A1–A4),
 * lifecycle and crash safety (D1, D2, D9, D10), load with faults and resource bounds. Start at {@code AdminApiIT}.
 */
package dev.teal.admin.hardening;
