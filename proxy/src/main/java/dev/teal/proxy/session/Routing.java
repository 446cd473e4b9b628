package dev.teal.proxy.session;

import dev.teal.config.Color;

/**
 * One request's session decision, from {@link SessionRouter#route} to {@link SessionRouter#end}: the
 * color to send it to, the table visit to close, and what the response must say in {@code Set-Cookie}.
 * Used by the request's event loop only.
 */
public final class Routing {
    private final Visit visit;
    /** The table key the request carried (null for keyless requests). */
    private final SessionKey key;

    /** The pin cookie's value as the request sent it, and what it said if authentic: a memo for the next request. */
    private final String pinValue;

    private final PinCookie authenticPin;
    private PinCookie issue;
    private boolean clearPin;

    Routing(Visit visit, SessionKey key, PinCookie issue, String pinValue, PinCookie authenticPin) {
        this.visit = visit;
        this.key = key;
        this.issue = issue;
        this.pinValue = pinValue;
        this.authenticPin = authenticPin;
    }

    /** Where the request goes. */
    public Color color() {
        return visit.color();
    }

    /** The table visit (session, color, how it was decided). */
    public Visit visit() {
        return visit;
    }

    /** The pin cookie the response will set, or null (none, or the session was ended). */
    public PinCookie issue() {
        return issue;
    }

    /** Whether the response will remove the pin cookie (the application ended the session). */
    public boolean clearsPin() {
        return clearPin;
    }

    SessionKey key() {
        return key;
    }

    String pinValue() {
        return pinValue;
    }

    PinCookie authenticPin() {
        return authenticPin;
    }

    void clearPin() {
        clearPin = true;
        issue = null;
    }

    @Override
    public String toString() {
        return "Routing[" + visit + (issue != null ? ", sets pin" : "") + (clearPin ? ", clears pin" : "") + "]";
    }
}
