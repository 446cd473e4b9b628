package dev.teal.admin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small JDBC and script-folder helpers for the phase tests. */
public final class Sql {
    private Sql() {}

    /** Writes {@code script} as {@code folder/name}, creating the folder. */
    public static Path script(Path folder, String name, String script) {
        try {
            Files.createDirectories(folder);
            return Files.writeString(folder.resolve(name), script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of every row of {@code query}, as text. */
    public static List<String> column(String url, String query) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    /** The columns of {@code table}, lower case, in order. */
    public static List<String> columns(String url, String table) {
        return columns(url, "postgres", "", table);
    }

    public static List<String> columns(String url, String user, String password, String table) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> columns = new ArrayList<>();
            for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
                try (ResultSet rows = meta.getColumns(null, null, name, null)) {
                    while (rows.next()) {
                        columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
                if (!columns.isEmpty()) {
                    break;
                }
            }
            return columns;
        } catch (SQLException e) {
            throw new IllegalStateException(table + ": " + e.getMessage(), e);
        }
    }
}
