package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The whole suite in one JVM: what runs when {@code CRM_DB_URL} or {@code CRM_REDIS_URL} names a server the parts
 * would share (the pom's external-database and external-redis profiles). One suite, not the three parts one after
 * another: Quarkus would stop its application after each part and start it again, and 3.29 fails that restart
 * ("shutdownContext is null", quarkusio/quarkus#50661).
 */
@Suite
@SelectPackages("io.headlesscrm")
@IncludeClassNamePatterns(".*Test")
public class Everything {
}
