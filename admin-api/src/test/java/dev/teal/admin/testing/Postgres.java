package dev.teal.admin.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (the binaries published on Maven Central for embedding, run from a temporary
 * directory on a free port), one per test class: start it in {@code @BeforeAll}, give each test its own
 * database, close it in {@code @AfterAll}. Run as root, the server runs in a user namespace, as
 * PostgreSQL refuses root.
 */
public final class Postgres implements AutoCloseable {
    private final EmbeddedPostgres server;
    private final AtomicInteger databases = new AtomicInteger();

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    public static Postgres start() {
        try {
            return new Postgres(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** A new, empty database; its JDBC URL (user postgres, no password). */
    public String newDatabase() {
        String name = "test" + databases.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("CREATE DATABASE " + name + ": " + e.getMessage(), e);
        }
        return server.getJdbcUrl("postgres", name);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
