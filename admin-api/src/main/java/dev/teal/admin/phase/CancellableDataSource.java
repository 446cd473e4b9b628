package dev.teal.admin.phase;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source for one run of an sql phase that remembers every connection and statement it handed
 * out, so that the run can be stopped from another thread: JDBC calls do not answer to interrupts, but
 * {@link Statement#cancel} (PostgreSQL sends a cancel request, H2 flags the statement) and {@link
 * Connection#abort} are made for this. The database then rolls the script's transaction back.
 */
final class CancellableDataSource implements DataSource {
    private final DataSource target;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Statement> statements = new ArrayList<>();
    private boolean cancelled;

    CancellableDataSource(DataSource target) {
        this.target = requireNonNull(target, "target");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return track(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return track(target.getConnection(username, password));
    }

    /** Cancels every statement handed out (the database then rolls the script back); later requests fail. */
    void cancel() {
        List<Statement> toCancel;
        synchronized (this) {
            cancelled = true;
            toCancel = new ArrayList<>(statements);
        }
        for (Statement statement : toCancel) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException e) {
                // Closed already, or the driver cannot: abort() is the next resort.
            }
        }
    }

    /** Ends every connection handed out, for a migration that did not give up when cancelled. */
    void abort() {
        List<Connection> toAbort;
        synchronized (this) {
            cancelled = true;
            toAbort = new ArrayList<>(connections);
        }
        for (Connection connection : toAbort) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException | AbstractMethodError e) {
                try {
                    connection.close();
                } catch (SQLException | RuntimeException closing) {
                    // Nothing more can be done from here; the database times the session out.
                }
            }
        }
    }

    private Connection track(Connection connection) throws SQLException {
        synchronized (this) {
            if (!cancelled) {
                connections.add(connection);
                return (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new Tracking(connection));
            }
        }
        connection.close();
        throw new SQLException("the phase was stopped");
    }

    private synchronized void statement(Statement statement) {
        statements.add(statement);
    }

    /** Passes every call through, noting the statements created. */
    private final class Tracking implements InvocationHandler {
        private final Connection connection;

        Tracking(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("unwrap") && args != null && args[0] == Connection.class) {
                return proxy;
            }
            Object result;
            try {
                result = method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Statement statement) {
                statement(statement);
            }
            return result;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return target.isWrapperFor(type);
    }
}
