package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import dev.teal.config.DataSourceSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The data source of {@code teal.rollout.datasource}: a new connection from the driver for each request,
 * no pool (phases are rare and short-lived; Flyway closes what it opens).
 */
final class JdbcDataSource implements DataSource {
    private final DataSourceSettings settings;

    JdbcDataSource(DataSourceSettings settings) {
        this.settings = requireNonNull(settings, "settings");
    }

    String url() {
        return settings.url();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Properties properties = new Properties();
        settings.user().ifPresent(user -> properties.setProperty("user", user));
        settings.password().ifPresent(password -> properties.setProperty("password", password));
        return DriverManager.getConnection(settings.url(), properties);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return DriverManager.getConnection(settings.url(), username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging here");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
