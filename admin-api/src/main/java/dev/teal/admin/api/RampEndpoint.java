package dev.teal.admin.api;

import static java.util.Objects.requireNonNull;

import dev.teal.admin.rollout.RampOutcome;
import dev.teal.admin.rollout.RampRefusedException;
import dev.teal.admin.rollout.RampRequest;
import dev.teal.admin.rollout.Ramper;
import dev.teal.config.Color;
import dev.teal.proxy.Split;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /ramp?green=N} (or {@code blue=N}), with {@code dry-run}, {@code force} and {@code
 * next-release}. {@code GET} is accepted on purpose: {@code curl admin/ramp?green=25} is how operators type
 * it. The answer lists the migration phases the step ran before moving traffic and those it started
 * after; a phase that failed refuses the step with 409 and the phase's outcome and output.
 */
final class RampEndpoint implements Endpoint {
    private static final List<String> PARAMETERS = List.of("green", "blue", "dry-run", "force", "next-release");

    private final Ramper ramper;

    RampEndpoint(Ramper ramper) {
        this.ramper = requireNonNull(ramper, "ramper");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        RampRequest ramp = parse(request);
        RampOutcome outcome;
        try {
            outcome = ramper.ramp(ramp);
        } catch (RampRefusedException e) {
            ApiError error = e.phase().isPresent()
                    ? ApiError.of(HttpResponseStatus.CONFLICT, "phase failed", e.getMessage())
                            .with("phase", PhaseViews.step(e.phase().get()))
                    : ApiError.conflict(e.getMessage());
            throw error.exception();
        }
        Split before = outcome.step().before().split();
        Split after = outcome.step().after().split();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("applied", outcome.applied());
        view.put("dryRun", ramp.dryRun());
        view.put("split", Views.split(after));
        view.put("previous", Views.split(before));
        view.put("rollout", Views.rollout(outcome.step().after().rollout(), after));
        view.put("forced", outcome.step().forced().map(Color::id).orElse(null));
        view.put("changes", outcome.changes());
        view.put("phases", outcome.phases().stream().map(PhaseViews::step).toList());
        String note = (outcome.applied() ? "" : "dry run: ")
                + (outcome.changes().isEmpty() ? "no change" : String.join("; ", outcome.changes()));
        return ApiResponse.json(HttpResponseStatus.OK, view, note);
    }

    private static RampRequest parse(ApiRequest request) {
        QueryParams params = QueryParams.parse(request, PARAMETERS);
        Optional<Integer> green = params.integer("green", 0, 100);
        Optional<Integer> blue = params.integer("blue", 0, 100);
        if (green.isPresent() && blue.isPresent()) {
            throw ApiError.badRequest("green, blue: both given (expected: exactly one of green=N or blue=N, N 0-100)")
                    .exception();
        }
        if (green.isEmpty() && blue.isEmpty()) {
            throw ApiError.badRequest("green: (missing) (expected: exactly one of green=N or blue=N, N 0-100)")
                    .exception();
        }
        boolean dryRun = params.bool("dry-run", false);
        boolean force = params.bool("force", false);
        boolean nextRelease = params.bool("next-release", false);
        Split target = green.map(Split::new).orElseGet(() -> Split.of(Color.BLUE, blue.get()));
        try {
            return new RampRequest(target, dryRun, force, nextRelease);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage()).exception();
        }
    }
}
