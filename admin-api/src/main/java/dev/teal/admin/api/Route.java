package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A path, the methods it accepts, who may call it, and the endpoint that answers.
 *
 * @param path the exact path, or a prefix when it ends with {@code /} and is not {@code /}
 * @param methods accepted methods, in the order {@code Allow} lists them
 * @param access who may call it
 * @param endpoint what answers
 */
record Route(String path, List<HttpMethod> methods, Access access, Endpoint endpoint) {
    enum Access {
        /** Static files of the dashboard: no data in them, so a browser can load them without a token. */
        PUBLIC,
        /** Reads state: needs the token when one is configured. */
        READ,
        /** Changes state: needs the token, refuses cross-site callers, and is audited. */
        MUTATE
    }

    Route {
        requireNonNull(path, "path");
        methods = List.copyOf(methods);
        requireNonNull(access, "access");
        requireNonNull(endpoint, "endpoint");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path: '" + path + "' (expected: starting with /)");
        }
    }

    boolean isPrefix() {
        return path.length() > 1 && path.endsWith("/");
    }

    boolean accepts(HttpMethod method) {
        return methods.contains(method);
    }

    String allow() {
        return methods.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
    }
}
