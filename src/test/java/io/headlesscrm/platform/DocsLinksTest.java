package io.headlesscrm.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is the front door and the guides live in docs/: a guide moved or renamed, or a heading reworded, must
 * not leave a link pointing at nothing. Every relative link in README.md and docs/*.md names a file or directory of
 * the repository and, when it has an anchor into a Markdown file, a heading of that file (GitHub's anchor rules);
 * every guide is linked from the README. Plain JUnit: it reads files, it needs no service.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** {@code [text](target)} or {@code [text](target "title")}; the text may hold anything but a closing bracket. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("(?m)^\\s*```.*?^\\s*```[^\\n]*$", Pattern.DOTALL);
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");

    @Test
    void everyRelativeLinkReachesAFileAndItsHeading() {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            for (String target : links(doc)) {
                String problem = problemWith(doc, target);
                if (problem != null) {
                    broken.add(ROOT.relativize(doc) + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(broken).as("links that point at nothing").isEmpty();
    }

    @Test
    void everyGuideIsLinkedFromTheReadme() {
        Path readme = ROOT.resolve("README.md");
        Set<Path> linked = new HashSet<>();
        for (String target : links(readme)) {
            if (!SCHEME.matcher(target).find()) {
                linked.add(readme.getParent().resolve(pathOf(target)).normalize());
            }
        }
        List<Path> guides = documents().stream().filter(p -> p.getParent().equals(ROOT.resolve("docs"))).toList();
        assertThat(guides).as("docs/ holds the guides").isNotEmpty();
        assertThat(guides.stream().filter(g -> !linked.contains(g)).map(ROOT::relativize).map(Path::toString))
                .as("guides in docs/ that README.md does not link").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(anchors("# Identity and access\n## Typed operations for a front end\n### `Customer.tags` (batched)\n"
                + "```bash\n# not a heading\n```\n## Segment conditions\n## Segment conditions\n"))
                .containsExactlyInAnyOrder("identity-and-access", "typed-operations-for-a-front-end",
                        "customertags-batched", "segment-conditions", "segment-conditions-1");
    }

    /** Why the link is broken, or null when it is not. */
    private static String problemWith(Path doc, String target) {
        if (SCHEME.matcher(target).find()) {
            return null; // http(s), mailto: not this test's business
        }
        String path = pathOf(target);
        Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT)) {
            return "leaves the repository";
        }
        if (!Files.exists(file)) {
            return "no such file";
        }
        int hash = target.indexOf('#');
        if (hash < 0 || !file.toString().endsWith(".md")) {
            return null;
        }
        String anchor = target.substring(hash + 1);
        return anchors(read(file)).contains(anchor) ? null : "no heading with the anchor #" + anchor;
    }

    private static String pathOf(String target) {
        int hash = target.indexOf('#');
        return hash < 0 ? target : target.substring(0, hash);
    }

    private static List<Path> documents() {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** Link targets outside fenced blocks and code spans, where brackets and parentheses are only text. */
    private static List<String> links(Path doc) {
        String text = CODE_SPAN.matcher(FENCE.matcher(read(doc)).replaceAll("")).replaceAll("");
        List<String> targets = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            targets.add(m.group(1));
        }
        return targets;
    }

    /**
     * GitHub's anchors: the heading's text lower-cased, everything but letters, digits, spaces, hyphens and
     * underscores dropped, spaces made hyphens; a repeated one gets -1, -2, ….
     */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : FENCE.matcher(markdown).replaceAll("").split("\n")) {
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                String slug = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
