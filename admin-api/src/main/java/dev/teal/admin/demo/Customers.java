package dev.teal.admin.demo;

import static java.util.Objects.requireNonNull;

import dev.teal.config.Color;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo application's data: the {@code customer} table, as each version of the application sees it.
 * The old version (blue) reads {@code first_name} and {@code last_name}; the new version (green) reads
 * {@code full_name}, which the expand phase adds, and fills it for old rows when the backfill phase asks.
 * That is the classic case teal's phases are for: the new version needs a column before its first
 * session, and the old version needs the old columns until its last one.
 */
final class Customers {
    /** The application versions of the demo: blue runs v1, green v2. */
    enum Version {
        V1,
        V2;

        static Version of(Color color) {
            return color == Color.BLUE ? V1 : V2;
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One row, as the version reads it; {@code name} is null where v2 finds no full_name yet. */
    record Customer(int id, String name) {}

    private final DemoDatabase database;
    private final Version version;

    Customers(DemoDatabase database, Version version) {
        this.database = requireNonNull(database, "database");
        this.version = requireNonNull(version, "version");
    }

    Version version() {
        return version;
    }

    /** @throws SQLException when the schema does not fit this version (the point of the demo) */
    List<Customer> list() throws SQLException {
        String query = version == Version.V1
                ? "SELECT id, first_name || ' ' || last_name FROM customer ORDER BY id"
                : "SELECT id, full_name FROM customer ORDER BY id";
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(query)) {
            List<Customer> customers = new ArrayList<>();
            while (rows.next()) {
                customers.add(new Customer(rows.getInt(1), rows.getString(2)));
            }
            return customers;
        }
    }

    /**
     * Fills {@code full_name} where it is missing, from the old columns; what the backfill phase calls.
     *
     * @return the rows filled
     */
    int backfill() throws SQLException {
        if (version != Version.V2) {
            throw new SQLException("the backfill is the new version's: " + version.id() + " does not know full_name");
        }
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            return s.executeUpdate(
                    "UPDATE customer SET full_name = first_name || ' ' || last_name WHERE full_name IS NULL");
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.url(), database.user(), database.password());
    }
}
