package io.github.enhancedsqlite.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The three sides of a compression scenario, each on a new database of its own and holding one connection of its
 * pool: raw sqlite-jdbc with the profile's pragmas (what SQLite alone costs), and the enhanced driver with the same
 * profile and {@code compress=off} and {@code compress=auto} named in the URL. Timed tables show them in this
 * order, then the comparison of auto with off, which is what the targets are about.
 */
final class CompressionSides implements AutoCloseable {

    static final int RAW = 0;
    static final int OFF = 1;
    static final int AUTO = 2;
    static final List<String> LABELS = List.of("raw sqlite-jdbc", "compress=off", "compress=auto");

    /** One side: its file, pool and the connection it holds for the whole scenario. */
    record Side(String label, Path database, PooledDatabase pool, Connection connection) {
    }

    private final List<Side> sides;

    private CompressionSides(List<Side> sides) {
        this.sides = sides;
    }

    /** Opens all three on new files named after the scenario; {@code prepare} runs once per side (schema, rows). */
    static CompressionSides open(Workspace workspace, String scenario, Preparation prepare) throws Exception {
        List<Side> sides = new ArrayList<>();
        CompressionSides opened = new CompressionSides(sides);
        try {
            for (int i = 0; i < LABELS.size(); i++) {
                String suffix = i == RAW ? "raw" : LABELS.get(i).replace('=', '-');
                Path database = workspace.newDatabase(scenario + "-" + suffix);
                String url = i == RAW ? Workspace.rawUrl(database)
                        : workspace.enhancedUrl(database, i == OFF ? "off" : "auto");
                PooledDatabase pool = PooledDatabase.open(url);
                Connection connection;
                try {
                    connection = pool.dataSource().getConnection();
                } catch (SQLException e) {
                    pool.close();
                    throw e;
                }
                sides.add(new Side(LABELS.get(i), database, pool, connection));
                prepare.prepare(connection);
            }
            return opened;
        } catch (Exception e) {
            opened.close();
            throw e;
        }
    }

    Side get(int side) {
        return sides.get(side);
    }

    /** Closes every side's connection and pool, so the files can be read plainly afterwards. */
    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (Side side : sides) {
            try {
                side.connection().close();
                side.pool().close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What each side's database needs before it is timed. */
    @FunctionalInterface
    interface Preparation {
        void prepare(Connection connection) throws Exception;
    }
}
