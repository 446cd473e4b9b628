package dev.teal.admin.api;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the admin API. Immutable and thread-safe, so it is shared. */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }
}
