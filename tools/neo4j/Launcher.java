import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community through its public embedded API with the Bolt connector on, for tests,
 * benches and the demo (scripts/neo4j.sh). Settings come from DIR/neo4j.conf, written by the
 * script; the password of the user `neo4j` comes from DIR/password.
 *
 * Usage: java -cp 'lib/*:classes' Launcher DIR
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        Files.writeString(dir.resolve("neo4j.pid"), ProcessHandle.current().pid() + "\n");
        String password = Files.readString(dir.resolve("password")).strip();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dir.resolve("home"))
                .loadPropertiesFromFile(dir.resolve("neo4j.conf"))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        // A new database has the default user `neo4j` whose password must change: set ours once
        // (Neo4j refuses to set a password to the one it already has).
        Path passwordSet = dir.resolve("home").resolve("password-set");
        if (!Files.exists(passwordSet)) {
            GraphDatabaseService system = dbms.database("system");
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            Files.writeString(passwordSet, "");
        }

        Files.writeString(dir.resolve("ready"), ProcessHandle.current().pid() + "\n");
        System.out.println("Neo4j is ready");
        Thread.currentThread().join();
    }
}
