package io.headlesscrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.SmallRyeConfig;

/**
 * The README's configuration table states each setting's default once, and it is the code's: for every variable in
 * the table, some code reads it, and the default the service has outside any profile (a {@code @WithDefault} of a
 * configuration mapping, application.properties, or a default written where the value is read) is the one the table
 * gives; "unset", "none" or "empty" defaults mean there is none.
 */
@QuarkusTest
class ConfigurationTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| (`CRM_[^|]*`) \\| ([^|]*) \\|", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("`(_?[A-Z0-9_]+)`");
    private static final Pattern VALUE = Pattern.compile("^`([^`]*)`");

    /** Each variable of the table with its stated default (null: none), combined rows (`A` / `_B`) expanded. */
    static Map<String, String> table() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        Map<String, String> table = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            List<String> names = new ArrayList<>();
            String prefix = null; // `A_B_C` / `_D_E`: the suffixes replace as many words of the first name as the first has
            Matcher name = NAME.matcher(row.group(1));
            while (name.find()) {
                String n = name.group(1);
                if (n.startsWith("_") && prefix == null) {
                    String[] words = names.get(0).split("_");
                    prefix = String.join("_", List.of(words).subList(0, words.length - (n.split("_").length - 1)));
                }
                names.add(n.startsWith("_") ? prefix + n : n);
            }
            String[] defaults = row.group(2).trim().split(" / ");
            for (int i = 0; i < names.size(); i++) {
                String stated = defaults.length == names.size() ? defaults[i].trim() : row.group(2).trim();
                Matcher value = VALUE.matcher(stated);
                table.put(names.get(i), value.find() ? value.group(1) : null);
            }
        }
        return table;
    }

    /**
     * Defaults stated where a value is read rather than in a mapping: {@code @ConfigProperty(name, defaultValue)} and
     * {@code ${name:default}} expressions (in annotations such as {@code @Scheduled}, and in application.properties).
     */
    static Map<String, String> inlineDefaults() throws IOException {
        Map<String, String> defaults = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>(List.of(Path.of("src/main/resources/application.properties")));
        try (var sources = Files.walk(Path.of("src/main/java"))) {
            files.addAll(sources.filter(p -> p.toString().endsWith(".java")).toList());
        }
        for (Path file : files) {
            String text = Files.readString(file);
            for (Pattern p : List.of(CONFIG_PROPERTY, EXPRESSION, EARLY)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    defaults.put(m.group(1), m.group(2).isEmpty() && p == EARLY ? null : m.group(2));
                }
            }
        }
        return defaults;
    }

    /** Every property a configuration mapping of ours declares, with its {@code @WithDefault} (null: none). */
    static Map<String, String> mappingProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        // from the compiled classes on disk: inside a Quarkus test the class path's URLs are quarkus: ones
        for (JavaClass type : new ClassFileImporter().importPath(Path.of("target/classes"))) {
            if (type.isAnnotatedWith(ConfigMapping.class)) {
                Class<?> mapping = type.reflect();
                ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping,
                        mapping.getAnnotation(ConfigMapping.class).prefix())).forEach((name, property) ->
                                properties.put(name, property.hasDefaultValue() ? property.getDefaultValue() : null));
            }
        }
        return properties;
    }

    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@ConfigProperty\\(name = \"(crm\\.[^\"]+)\", defaultValue = \"([^\"]*)\"\\)");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(crm\\.[a-z0-9.\\-]+):([^}]*)}");
    /** What platform/ServicesConfigSourceFactory reads before the configuration exists (no default: unset). */
    private static final Pattern EARLY = Pattern.compile("value\\(context, \"(crm\\.[^\"]+)\"\\)()");

    @Test
    void everyDefaultInTheTableIsTheCodes() throws IOException {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        Map<String, String> inline = inlineDefaults();
        mappingProperties().forEach(inline::putIfAbsent);
        Map<String, String> byVariable = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(inline.keySet());
        config.getPropertyNames().forEach(names::add);
        for (String property : names) {
            byVariable.putIfAbsent(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), property);
        }
        List<String> wrong = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> row : table().entrySet()) {
            String property = byVariable.get(row.getKey());
            String code = property == null ? null : unprofiledDefault(property);
            if (code == null && property != null) {
                code = inline.get(property);
            }
            if (property == null) {
                unknown.add(row.getKey());
            } else if (!same(row.getValue(), code)) {
                wrong.add(row.getKey() + " (" + property + "): table " + row.getValue() + ", code " + code);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(unknown).as("variables in the table that no configuration names").isEmpty();
    }

    /** The value application.properties gives outside any profile (read from the file: sources vary by run). */
    private static String unprofiledDefault(String property) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties.getProperty(property);
    }

    private static boolean same(String stated, String code) {
        if (stated == null || code == null) {
            return stated == null && (code == null || code.isEmpty());
        }
        return stated.equalsIgnoreCase(code);
    }
}
