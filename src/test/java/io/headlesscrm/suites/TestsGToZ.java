package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The test classes named G… to Z…. Surefire runs this suite and {@link TestsAToF} in two JVMs at once
 * ({@code forkCount} 2), each with one Quarkus application over its own embedded PostgreSQL and Redis. They are
 * suites, not loose classes, because Surefire hands a fork its classes one by one when there are two forks, each
 * in a launcher session of its own, and Quarkus stops its application at the end of each session
 * (quarkusio/quarkus#43979): a suite is one session.
 */
@Suite
@SelectPackages("io.headlesscrm")
@IncludeClassNamePatterns(".*\\.[G-Z][^.]*Test")
public class TestsGToZ {
}
