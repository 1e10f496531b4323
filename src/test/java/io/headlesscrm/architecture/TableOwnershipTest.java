package io.headlesscrm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * SQL belongs to its feature: a feature's code names only its own tables (and common's), and asks another feature
 * for the rest through that feature's API. Every table the migrations create has one owner here; a statement in
 * another feature that reads or writes it fails this test. Where one statement must span features, the owner
 * publishes the fragment (customer's {@code CustomerSql}, event's {@code EventSql}, touchpoint's {@code TouchpointSql}).
 */
class TableOwnershipTest {

    private static final Path MAIN = Path.of("src/main/java/io/headlesscrm");
    /** Owners that the table's name does not give (its first word is another package's name, or none). */
    private static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("anonymous_event", "event"), Map.entry("anonymous_identity", "event"),
            Map.entry("api_key", "security"), Map.entry("audit_log", "security"),
            Map.entry("customer_consent", "touchpoint"), Map.entry("customer_erasure", "dataio"),
            Map.entry("customer_tag", "tag"), Map.entry("export_chunk", "dataio"), Map.entry("export_job", "dataio"),
            Map.entry("import_chunk", "dataio"), Map.entry("import_error", "dataio"), Map.entry("import_job", "dataio"),
            Map.entry("idempotency_key", "common"), Map.entry("property_definition", "property"),
            Map.entry("sales_rep", "lead"), Map.entry("sales_team", "lead"), Map.entry("suppression", "customer"),
            Map.entry("suppression_salt", "customer"));
    private static final Set<String> FEATURES = Set.of("campaign", "common", "customer", "dataio", "event", "lead", "platform",
            "property", "security", "segment", "tag", "touchpoint", "webhook");
    private static final Pattern CREATE = Pattern.compile("(?i)create table (?:if not exists )?([a-z_]+)");
    /** A table named where SQL names one: after FROM, JOIN, UPDATE, INTO, DELETE FROM (ONLY allowed). */
    private static final Pattern NAMED = Pattern.compile("(?i)\\b(?:from|join|update|into)\\s+(?:only\\s+)?([a-z_]+)\\b");
    private static final Pattern LITERAL = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);


    private static Map<String, String> owners() throws IOException {
        Map<String, String> owners = new java.util.TreeMap<>();
        try (Stream<Path> migrations = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path migration : migrations.toList()) {
                Matcher m = CREATE.matcher(Files.readString(migration));
                while (m.find()) {
                    String table = m.group(1).toLowerCase();
                    owners.put(table, OWNER.getOrDefault(table, table.split("_")[0]));
                }
            }
        }
        return owners;
    }

    private static Set<String> crossings() throws IOException {
        Map<String, String> owners = owners();
        assertThat(owners.values()).allSatisfy(owner -> assertThat(FEATURES).as("owner of a table").contains(owner));
        Set<String> found = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String file = MAIN.relativize(source).toString().replace('\\', '/');
                found.addAll(crossings(file, Files.readString(source), owners));
            }
        }
        return found;
    }

    /** The other features' tables the string literals of {@code code} (the file {@code file}) name as SQL does. */
    private static Set<String> crossings(String file, String code, Map<String, String> owners) {
        String feature = file.split("/")[0];
        Set<String> found = new TreeSet<>();
        Matcher literal = LITERAL.matcher(code);
        while (literal.find()) {
            String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
            Matcher named = NAMED.matcher(text);
            while (named.find()) {
                String owner = owners.get(named.group(1).toLowerCase());
                if (owner != null && !owner.equals(feature) && !"common".equals(owner)) {
                    found.add(file + " " + named.group(1).toLowerCase());
                }
            }
        }
        return found;
    }

    @Test
    void noFeatureNamesAnotherFeaturesTable() throws IOException {
        assertThat(new TreeSet<>(crossings())).as("SQL naming another feature's table (ask its API instead)")
                .isEmpty();
    }

    /** On a source of its own: the main code has no crossing left to see. */
    @Test
    void theRuleSeesACrossing() throws IOException {
        String code = "class TagRead { static final String SQL = \"SELECT t.tag_id FROM customer c\"\n"
                + "        + \" JOIN customer_tag t ON t.customer_id = c.id JOIN idempotency_key k ON true\"; }";
        assertThat(crossings("tag/TagRead.java", code, owners())).as("a join of tag's table on customer's, in tag")
                .containsExactly("tag/TagRead.java customer");
    }
}
