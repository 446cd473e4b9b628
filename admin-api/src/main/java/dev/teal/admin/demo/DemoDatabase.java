package dev.teal.admin.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The demo's database: the old version's {@code customer} table with a few rows, and the migration
 * scripts of the release, copied out of the jar into a folder (Flyway reads {@code filesystem:} folders
 * in teal's plans). By default an embedded H2 database in a file, opened with {@code AUTO_SERVER} so a
 * person can look at it with any H2 client while the demo runs; the tests use PostgreSQL too.
 */
final class DemoDatabase implements AutoCloseable {
    /** The release's scripts, as resources under {@code demo/db/}. */
    private static final List<String> SCRIPTS =
            List.of("expand/V1__add_full_name.sql", "contract/V1__drop_first_and_last_name.sql");

    private static final String SCHEMA = "CREATE TABLE customer (id INT PRIMARY KEY,"
            + " first_name VARCHAR(50) NOT NULL, last_name VARCHAR(50) NOT NULL)";
    private static final List<String> ROWS = List.of(
            "1, 'Ada', 'Lovelace'",
            "2, 'Grace', 'Hopper'",
            "3, 'Alan', 'Turing'",
            "4, 'Edsger', 'Dijkstra'",
            "5, 'Barbara', 'Liskov'",
            "6, 'Donald', 'Knuth'");

    private final String url;
    private final String user;
    private final String password;
    private final Path scripts;

    private DemoDatabase(String url, String user, String password, Path scripts) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.scripts = scripts;
    }

    /** A new H2 database in {@code dir}, with the old version's table and the scripts beside it. */
    static DemoDatabase h2(Path dir) {
        requireNonNull(dir, "dir");
        String url = "jdbc:h2:file:"
                + dir.toAbsolutePath().resolve("shop").toString().replace("\\", "/")
                + ";AUTO_SERVER=TRUE;DB_CLOSE_DELAY=-1";
        return at(url, "sa", "", dir);
    }

    /** The demo's table in an existing, empty database; the scripts go to {@code dir}. */
    static DemoDatabase at(String url, String user, String password, Path dir) {
        DemoDatabase database = new DemoDatabase(
                requireNonNull(url, "url"),
                requireNonNull(user, "user"),
                requireNonNull(password, "password"),
                extractScripts(dir));
        database.createOldSchema();
        return database;
    }

    private void createOldSchema() {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute(SCHEMA);
            for (String row : ROWS) {
                s.execute("INSERT INTO customer (id, first_name, last_name) VALUES (" + row + ")");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the demo database at " + url + " cannot be set up: " + e.getMessage(), e);
        }
    }

    /** Copies the release's scripts into {@code dir/db/expand} and {@code dir/db/contract}; that {@code db}. */
    static Path extractScripts(Path dir) {
        Path db = dir.resolve("db");
        try {
            for (String script : SCRIPTS) {
                Path target = db.resolve(script);
                Files.createDirectories(target.getParent());
                try (InputStream in = DemoDatabase.class.getResourceAsStream("/demo/db/" + script)) {
                    if (in == null) {
                        throw new IllegalStateException("demo/db/" + script + ": not on the class path");
                    }
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's migration scripts to " + db, e);
        }
        return db;
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The folder holding {@code expand/} and {@code contract/}. */
    Path scripts() {
        return scripts;
    }

    /** Closes an H2 database, kept open while the demo runs (DB_CLOSE_DELAY=-1); others are the caller's. */
    @Override
    public void close() {
        if (!url.startsWith("jdbc:h2:")) {
            return;
        }
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // Closed already: nothing to do.
        }
    }
}
