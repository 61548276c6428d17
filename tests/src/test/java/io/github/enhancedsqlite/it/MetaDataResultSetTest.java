package io.github.enhancedsqlite.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.enhancedsqlite.EnhancedSqlite;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

/**
 * Issue 12 point 2: the result sets DatabaseMetaData returns lead back to the application's connection. sqlite-jdbc's
 * own lead to its connection, which would let a tool (DBeaver, a schema validator) run statements that bypass the
 * writer turn and the reset on close.
 */
class MetaDataResultSetTest {

    @TempDir
    Path dir;

    @AfterEach
    void closePools() {
        EnhancedSqlite.shutdown();
    }

    @Test
    void everyMetaDataResultSetLeadsBackToTheApplicationsConnection() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("meta.db"))) {
            Db.execute(connection, "CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT)",
                    "CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))",
                    "CREATE INDEX child_parent ON child(parent_id)");
            DatabaseMetaData metaData = connection.getMetaData();
            Map<String, ResultSet> listings = new LinkedHashMap<>();
            listings.put("getTables", metaData.getTables(null, null, "%", null));
            listings.put("getColumns", metaData.getColumns(null, null, "parent", "%"));
            listings.put("getPrimaryKeys", metaData.getPrimaryKeys(null, null, "parent"));
            listings.put("getImportedKeys", metaData.getImportedKeys(null, null, "child"));
            listings.put("getExportedKeys", metaData.getExportedKeys(null, null, "parent"));
            listings.put("getIndexInfo", metaData.getIndexInfo(null, null, "child", false, false));
            listings.put("getTypeInfo", metaData.getTypeInfo());
            listings.put("getTableTypes", metaData.getTableTypes());
            listings.put("getSchemas", metaData.getSchemas());
            listings.put("getCatalogs", metaData.getCatalogs());
            for (Map.Entry<String, ResultSet> listing : listings.entrySet()) {
                try (ResultSet result = listing.getValue()) {
                    Statement statement = result.getStatement();
                    if (statement != null) {
                        assertThat(statement.getConnection()).as(listing.getKey()).isSameAs(connection);
                        assertThat(statement.isWrapperFor(SQLiteConnection.class)).as(listing.getKey()).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void aMetaDataResultSetReadsAsSqliteJdbcsDoes() throws SQLException {
        try (Connection connection = Db.open(dir.resolve("meta.db"))) {
            Db.execute(connection, "CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT)");
            try (ResultSet columns = connection.getMetaData().getColumns(null, null, "parent", "%")) {
                assertThat(columns.next()).isTrue();
                assertThat(columns.getString("COLUMN_NAME")).isEqualTo("id");
                assertThat(columns.next()).isTrue();
                assertThat(columns.getString("COLUMN_NAME")).isEqualTo("name");
                assertThat(columns.next()).isFalse();
            }
        }
    }
}
