package io.github.enhancedsqlite.config;

import io.github.enhancedsqlite.InvalidSettingException;
import io.github.enhancedsqlite.logging.QuietLogging;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@code jdbc:enhanced-sqlite:} URL and its Properties into a {@link DatabaseConfig}.
 *
 * <p>Only the prefix is ours: what follows is any path form sqlite-jdbc accepts. Keys come from the URL query
 * and from Properties, Properties winning. Our keys are consumed here, sqlite-jdbc's pass through as properties,
 * SQLite's URI parameters stay in a {@code file:} URI, and anything else is rejected by name.
 */
public final class ConfigParser {

    /** Before anything logs: an application without an SLF4J provider must not get SLF4J's notice on stderr. */
    private static final boolean LOGGING_BOUND = QuietLogging.bind();
    private static final Logger LOG = LoggerFactory.getLogger(ConfigParser.class);

    public static final String PREFIX = "jdbc:enhanced-sqlite:";
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String MEMORY = ":memory:";
    private static final String RESOURCE = ":resource:";
    private static final String FILE_URI = "file:";
    /** Settings of plain file paths by query and Properties (see {@link #fileSettings}); immutable, so shared. */
    private static final Map<String, Settings> FILE_SETTINGS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_SETTINGS = 256;

    private ConfigParser() {
    }

    public static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    public static DatabaseConfig parse(String url, Properties info) throws InvalidSettingException {
        if (!accepts(url)) {
            throw new InvalidSettingException("Not an enhanced-sqlite URL: '" + url + "'. Expected " + PREFIX
                    + "<path>, e.g. " + PREFIX + "app.db, " + PREFIX + ":memory: or " + PREFIX + "file:app.db?mode=ro");
        }
        String rest = url.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? "" : rest.substring(question + 1);
        boolean uri = path.startsWith(FILE_URI);
        if (!uri) {
            DatabaseLocation location = locate(path, false, Map.of());
            if (location.kind() == DatabaseLocation.Kind.FILE) {
                return new DatabaseConfig(location, fileSettings(query, info, location));
            }
        }

        Map<String, String> urlKeys = parseQuery(query);
        Map<String, String> uriParameters = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : urlKeys.entrySet()) {
            if (uri && KnownKeys.SQLITE_URI.contains(entry.getKey().toLowerCase(Locale.ROOT))) {
                uriParameters.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue());
            } else {
                keys.put(entry.getKey(), entry.getValue());
            }
        }
        if (info != null) {
            for (Map.Entry<String, String> property : propertyValues(info).entrySet()) {
                keys.keySet().removeIf(property.getKey()::equalsIgnoreCase);
                keys.put(property.getKey(), property.getValue());
            }
        }

        DatabaseLocation location = locate(path, uri, uriParameters);
        return new DatabaseConfig(location, settings(keys, location, uri));
    }

    /**
     * The settings of a plain file path: they depend on the query and the Properties alone, so each distinct pair is
     * parsed and validated once. A test suite opens a new file per test with one URL shape; parsing every key anew
     * was a tenth of what opening a pool cost.
     */
    private static Settings fileSettings(String query, Properties info, DatabaseLocation location)
            throws InvalidSettingException {
        Map<String, String> properties = info == null ? Map.of() : propertyValues(info);
        String key = query + '\u0000' + properties;
        Settings known = FILE_SETTINGS.get(key);
        if (known != null) {
            return known;
        }
        Map<String, String> keys = parseQuery(query);
        for (Map.Entry<String, String> property : properties.entrySet()) {
            keys.keySet().removeIf(property.getKey()::equalsIgnoreCase);
            keys.put(property.getKey(), property.getValue());
        }
        Settings settings = settings(keys, location, false);
        if (FILE_SETTINGS.size() >= MAX_CACHED_SETTINGS) {
            FILE_SETTINGS.clear(); // applications that build a query per call: a miss only costs a parse
        }
        FILE_SETTINGS.put(key, settings);
        return settings;
    }

    /**
     * Every entry of the Properties as text. {@code stringPropertyNames()} would silently skip a value put as a
     * number or boolean ({@code put("maximumPoolSize", 4)}), so those are taken by their text and anything else
     * is an error.
     */
    private static Map<String, String> propertyValues(Properties info) throws InvalidSettingException {
        Map<String, String> values = new TreeMap<>();
        for (String name : info.stringPropertyNames()) {
            values.put(name, info.getProperty(name));
        }
        for (Map.Entry<Object, Object> entry : info.entrySet()) {
            Object key = entry.getKey();
            Object value = entry.getValue();
            if (!(key instanceof String)) {
                throw new InvalidSettingException("Property key " + key + " is a " + key.getClass().getName()
                        + "; setting names are Strings.");
            }
            if (!(value instanceof String)) {
                if (!(value instanceof Number || value instanceof Boolean || value instanceof Character)) {
                    throw new InvalidSettingException("Property '" + key + "' has a value of type "
                            + value.getClass().getName() + "; give it as a String (a number or boolean is taken by its text).");
                }
                values.put((String) key, String.valueOf(value));
            }
        }
        return values;
    }

    private static Map<String, String> parseQuery(String query) throws InvalidSettingException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = (equals < 0 ? pair : pair.substring(0, equals)).trim();
            if (equals < 0 || key.isEmpty()) {
                throw new InvalidSettingException("URL parameter '" + pair + "' has no " + (key.isEmpty() ? "key" : "value")
                        + "; parameters are written key=value and joined with &.");
            }
            String value = pair.substring(equals + 1);
            // A repeated key takes its last value, as in sqlite-jdbc, Properties.load and HikariCP's property
            // files: code that appends an override to a base URL keeps working.
            for (String seen : List.copyOf(keys.keySet())) {
                if (seen.equalsIgnoreCase(key)) {
                    String earlier = keys.remove(seen);
                    if (!earlier.equals(value) && LOG.isDebugEnabled()) {
                        LOG.debug("URL parameter '{}' is given twice; its last value counts", key);
                    }
                }
            }
            keys.put(key, value);
        }
        return keys;
    }

    private static Settings settings(Map<String, String> keys, DatabaseLocation location, boolean uri)
            throws InvalidSettingException {
        Profile profile = Profile.NINETY_SIX_GB;
        Map<Pragma, String> overrides = new EnumMap<>(Pragma.class);
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        SortedMap<String, String> sqliteProperties = new TreeMap<>();

        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            Setting setting = Setting.forKey(key);
            Pragma pragma = Pragma.forKey(key.toLowerCase(Locale.ROOT));
            if (setting == Setting.PROFILE) {
                profile = Profile.forKey(value);
                if (profile == null) {
                    throw invalidValue(key, value, "one of " + Profile.keys());
                }
            } else if (setting == Setting.COMPRESS) {
                settings.put(setting, compressValue(key, value));
            } else if (setting == Setting.USER) {
                if (!value.isBlank()) {
                    throw new InvalidSettingException("Setting 'user' is '" + value + "', but SQLite has no user accounts;"
                            + " leave user empty or remove it.");
                }
            } else if (setting != null) {
                settings.put(setting, canonical(setting.rule(), key, value));
            } else if (pragma != null) {
                overrides.put(pragma, canonical(pragma.rule(), key, value));
            } else if (key.equalsIgnoreCase("password") && value.isEmpty()) {
                continue; // frameworks send an empty password with an empty user; it means "none"
            } else if (KnownKeys.SQLITE_JDBC.containsKey(key.toLowerCase(Locale.ROOT))) {
                String sqliteKey = key.toLowerCase(Locale.ROOT);
                sqliteProperties.put(sqliteKey, canonical(KnownKeys.sqliteJdbcRule(sqliteKey), key, value));
            } else {
                throw unknownKey(key, uri);
            }
        }

        Map<Pragma, String> pragmas = new EnumMap<>(Pragma.class);
        for (Map.Entry<Pragma, String> entry : profile.pragmas().entrySet()) {
            if (!(location.isMemory() && entry.getKey().fileOnly())) {
                pragmas.put(entry.getKey(), entry.getValue());
            }
        }
        pragmas.putAll(overrides);

        for (Setting setting : Setting.values()) {
            if (setting.isValue() && setting.defaultValue() != null) {
                settings.putIfAbsent(setting, setting.rule().canonical(setting.defaultValue()));
            }
        }
        settings.putIfAbsent(Setting.COMPRESS, Setting.COMPRESS.defaultValue());
        int maximumPoolSize = Integer.parseInt(settings.get(Setting.MAXIMUM_POOL_SIZE));
        int minimumIdle = Integer.parseInt(settings.get(Setting.MINIMUM_IDLE));
        if (minimumIdle > maximumPoolSize) {
            throw new InvalidSettingException("minimumIdle=" + minimumIdle + " is larger than maximumPoolSize="
                    + maximumPoolSize + "; minimumIdle must be at most maximumPoolSize.");
        }
        if (settings.get(Setting.REPLICATION).equals("litestream")) {
            leaveCheckpointsToLitestream(location, overrides, pragmas);
        }
        return new Settings(profile, pragmas, settings, sqliteProperties,
                ReadOnlyRequest.reason(location, sqliteProperties));
    }

    /**
     * Litestream copies the WAL before anyone checkpoints it, so it must take every checkpoint itself: SQLite's
     * automatic one goes ({@code wal_autocheckpoint=0}, as Litestream advises), and settings that contradict that
     * are refused rather than quietly replaced.
     */
    private static void leaveCheckpointsToLitestream(DatabaseLocation location, Map<Pragma, String> overrides,
                                                     Map<Pragma, String> pragmas) throws InvalidSettingException {
        if (location.kind() != DatabaseLocation.Kind.FILE) {
            throw new InvalidSettingException("replication=litestream needs a database file, and this URL names "
                    + (location.isMemory() ? "an in-memory database" : "a class-path resource")
                    + "; give a file path, or remove replication.");
        }
        String autocheckpoint = overrides.get(Pragma.WAL_AUTOCHECKPOINT);
        if (autocheckpoint != null && !autocheckpoint.equals("0")) {
            throw new InvalidSettingException("wal_autocheckpoint=" + autocheckpoint + " contradicts"
                    + " replication=litestream, which leaves every checkpoint to Litestream; remove wal_autocheckpoint"
                    + " (the driver sets 0) or set it to 0.");
        }
        String journalMode = overrides.get(Pragma.JOURNAL_MODE);
        if (journalMode != null && !journalMode.equals("wal")) {
            throw new InvalidSettingException("journal_mode=" + journalMode + " contradicts replication=litestream:"
                    + " Litestream replicates the WAL; remove journal_mode or set it to wal.");
        }
        pragmas.put(Pragma.WAL_AUTOCHECKPOINT, "0");
    }

    /** {@code auto}, {@code off}, or table.column names, checked and sorted so equal lists compare equal. */
    private static String compressValue(String key, String value) throws InvalidSettingException {
        String trimmed = value.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("auto") || trimmed.equals("off")) {
            return trimmed;
        }
        java.util.TreeSet<String> columns = new java.util.TreeSet<>();
        for (String item : trimmed.split(",")) {
            String column = item.trim();
            int dot = column.indexOf('.');
            if (!column.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*")) {
                throw invalidValue(key, value, "auto, off, or a comma-separated list of table.column names"
                        + (dot < 0 ? " (each needs its table: memory_entries.value)" : ""));
            }
            columns.add(column);
        }
        return String.join(",", columns);
    }

    private static String canonical(ValueRule rule, String key, String value) throws InvalidSettingException {
        String canonical = rule.canonical(value);
        if (canonical == null) {
            throw invalidValue(key, value, rule.accepted());
        }
        return canonical;
    }

    private static InvalidSettingException invalidValue(String key, String value, String accepted) {
        String shown = key.toLowerCase(Locale.ROOT).contains("password") ? "(hidden)" : "'" + value + "'";
        return new InvalidSettingException("Invalid value " + shown + " for setting '" + key + "': expected "
                + accepted + ".");
    }

    private static InvalidSettingException unknownKey(String key, boolean uri) {
        String nearest = KnownKeys.nearest(key, uri);
        StringBuilder message = new StringBuilder("Unknown setting '").append(key).append("'.");
        if (nearest != null) {
            message.append(" Did you mean '").append(nearest).append("'?");
        }
        if (!uri && KnownKeys.SQLITE_URI.contains(key.toLowerCase(Locale.ROOT))) {
            message.append(" '").append(key).append("' is a SQLite URI parameter: write the path as a file: URI,")
                    .append(" e.g. ").append(PREFIX).append("file:app.db?").append(key).append("=...");
        }
        message.append(" Accepted: the driver's keys (").append(ownKeys())
                .append("), sqlite-jdbc's keys (listed by Driver.getPropertyInfo)")
                .append(uri ? " and SQLite URI parameters (" + String.join(", ", KnownKeys.SQLITE_URI) + ")." : ".");
        return new InvalidSettingException(message.toString());
    }

    private static String ownKeys() {
        StringJoiner keys = new StringJoiner(", ");
        for (Setting setting : Setting.values()) {
            keys.add(setting.key());
        }
        for (Pragma pragma : Pragma.values()) {
            keys.add(pragma.key());
        }
        return keys.toString();
    }

    private static DatabaseLocation locate(String path, boolean uri, Map<String, String> uriParameters)
            throws InvalidSettingException {
        if (path.isEmpty() || path.equals(MEMORY)) {
            return new DatabaseLocation(DatabaseLocation.Kind.PRIVATE_MEMORY, SQLITE_PREFIX + path, null);
        }
        if (path.startsWith(RESOURCE)) {
            return new DatabaseLocation(DatabaseLocation.Kind.RESOURCE, SQLITE_PREFIX + path, path);
        }
        if (!uri) {
            return new DatabaseLocation(DatabaseLocation.Kind.FILE, SQLITE_PREFIX + path, canonicalPath(path));
        }
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        uriParameters.forEach((key, value) -> query.add(key + "=" + value));
        String sqliteUrl = SQLITE_PREFIX + path + query;
        String filePath = uriFilePath(path.substring(FILE_URI.length()));
        boolean memory = filePath.equals(MEMORY) || "memory".equalsIgnoreCase(uriParameters.get("mode"));
        if (memory) {
            boolean shared = "shared".equalsIgnoreCase(uriParameters.get("cache"));
            return shared
                    ? new DatabaseLocation(DatabaseLocation.Kind.SHARED_MEMORY, sqliteUrl, sqliteUrl)
                    : new DatabaseLocation(DatabaseLocation.Kind.PRIVATE_MEMORY, sqliteUrl, null);
        }
        return new DatabaseLocation(DatabaseLocation.Kind.FILE, sqliteUrl, canonicalPath(filePath));
    }

    /** The file path inside a {@code file:} URI: authority dropped, %HH escapes decoded as SQLite does. */
    private static String uriFilePath(String afterScheme) {
        String path = afterScheme;
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            path = slash < 0 ? "" : path.substring(slash);
        }
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * The real path of a database file, so that every spelling of it (relative, absolute, through a symlink)
     * names one pool. A file not created yet is resolved through its directory.
     */
    private static String canonicalPath(String path) throws InvalidSettingException {
        Path absolute;
        try {
            absolute = Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("Database path '" + path + "' is not a valid file path: " + e.getReason());
        }
        try {
            return absolute.toRealPath().toString();
        } catch (NoSuchFileException e) {
            Path parent = absolute.getParent();
            try {
                return parent == null ? absolute.toString() : parent.toRealPath().resolve(absolute.getFileName()).toString();
            } catch (IOException missingDirectory) {
                return absolute.toString();
            }
        } catch (IOException e) {
            return absolute.toString();
        }
    }
}
