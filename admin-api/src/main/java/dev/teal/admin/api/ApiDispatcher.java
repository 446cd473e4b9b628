package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.state.StateWriteException;
import dev.teal.admin.state.StoreUnreachableException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request from start to answer: access rules, route, method, endpoint, error mapping, audit. Runs on
 * an admin worker thread.
 */
final class ApiDispatcher {
    private static final Logger log = LoggerFactory.getLogger(ApiDispatcher.class);

    private final AccessRules rules;
    private final AdminRouter router;
    private final AuditLog audit;

    ApiDispatcher(AccessRules rules, AdminRouter router, AuditLog audit) {
        this.rules = requireNonNull(rules, "rules");
        this.router = requireNonNull(router, "router");
        this.audit = requireNonNull(audit, "audit");
    }

    ApiResponse dispatch(ApiRequest request) {
        String path = request.uri();
        Optional<Route> route = Optional.empty();
        ApiResponse response;
        try {
            path = request.path();
            route = router.route(path);
            response = answer(request, path, route);
        } catch (ApiException e) {
            response = e.error().toResponse();
        } catch (StoreUnreachableException e) {
            response = ApiError.unavailable("state store unreachable", e.getMessage())
                    .with("since", e.since().toString())
                    .toResponse();
        } catch (StateWriteException e) {
            response = ApiError.unavailable(
                            "state not writable",
                            e.getMessage() + "; nothing was changed, the previous state stays in force")
                    .toResponse();
        } catch (RuntimeException e) {
            log.warn("{} {} failed", request.method(), ApiRequest.abbreviate(request.uri()), e);
            response = ApiError.internal(e.toString()).toResponse();
        }
        boolean mutating = route.map(r -> r.access() == Route.Access.MUTATE).orElse(false);
        int code = response.status().code();
        if (mutating || code == 401 || code == 403) {
            audit.record(request, path, response);
        }
        return response;
    }

    private ApiResponse answer(ApiRequest request, String path, Optional<Route> route) {
        Optional<ApiError> refused = rules.checkHost(request);
        Route.Access access = route.map(Route::access).orElse(Route.Access.READ);
        if (refused.isEmpty() && access != Route.Access.PUBLIC) {
            refused = rules.checkToken(request);
        }
        if (refused.isPresent()) {
            return refused.get().toResponse();
        }
        if (route.isEmpty()) {
            return ApiError.notFound(path).toResponse();
        }
        Optional<ApiError> unknown = route.get().endpoint().notServed(path);
        if (unknown.isPresent()) {
            return unknown.get().toResponse();
        }
        if (!route.get().accepts(request.method())) {
            return ApiError.methodNotAllowed(
                            request.method().name(), path, route.get().allow())
                    .toResponse();
        }
        if (access == Route.Access.MUTATE) {
            refused = rules.checkOrigin(request);
            if (refused.isPresent()) {
                return refused.get().toResponse();
            }
        }
        ApiResponse response = route.get().endpoint().handle(request);
        return response.status().equals(HttpResponseStatus.OK)
                        && response.auditNote().isEmpty()
                ? response.withAuditNote("ok")
                : response;
    }
}
