package dev.teal.admin.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps a path to its route: exact paths first, then the longest prefix route. */
final class AdminRouter {
    private final Map<String, Route> exact = new HashMap<>();
    private final List<Route> prefixes;

    AdminRouter(List<Route> routes) {
        for (Route route : routes) {
            if (!route.isPrefix() && exact.put(route.path(), route) != null) {
                throw new IllegalArgumentException("route: " + route.path() + " twice (expected: one route per path)");
            }
        }
        prefixes = routes.stream()
                .filter(Route::isPrefix)
                .sorted((a, b) -> b.path().length() - a.path().length())
                .toList();
    }

    Optional<Route> route(String path) {
        Route route = exact.get(path);
        if (route != null) {
            return Optional.of(route);
        }
        return prefixes.stream().filter(r -> path.startsWith(r.path())).findFirst();
    }
}
