package io.headlesscrm.common;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * Recurring schedules: a Unix cron expression (5 fields, minute first) or a Quartz one (6 or 7, seconds first), read
 * with cron-utils (already on the class path for Quarkus's scheduler). A schedule (a campaign's, a lead pull's) may fire at
 * most once a minute.
 */
@ApplicationScoped
public class CronSchedules {

    private static final Duration FASTEST = Duration.ofMinutes(1);
    private final CronParser unix = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private final CronParser quartz = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /** What is wrong with the expression, or null. */
    public String problem(String expression, ZoneId zone) {
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron(parse(expression));
        } catch (IllegalArgumentException e) {
            return "is not a cron expression: " + e.getMessage();
        }
        ZonedDateTime now = ZonedDateTime.now(zone);
        Optional<ZonedDateTime> first = times.nextExecution(now);
        if (first.isEmpty()) {
            return "never fires";
        }
        // a minute in which it fires twice repeats in every minute it fires in: the first two fires tell
        Optional<ZonedDateTime> second = times.nextExecution(first.get());
        if (second.isPresent() && Duration.between(first.get(), second.get()).compareTo(FASTEST) < 0) {
            return "fires more than once a minute";
        }
        return null;
    }

    /** The first fire after {@code after}, if any. The expression was checked when it was saved. */
    public Optional<Instant> next(String expression, ZoneId zone, Instant after) {
        return ExecutionTime.forCron(parse(expression)).nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    private Cron parse(String expression) {
        String trimmed = expression.trim();
        Cron cron = (trimmed.split("\\s+").length == 5 ? unix : quartz).parse(trimmed);
        cron.validate();
        return cron;
    }
}
