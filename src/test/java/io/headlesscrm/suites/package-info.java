/**
 * The test suite in two halves that Surefire runs side by side, in two JVMs ({@code forkCount} 2 in the pom), each
 * with one Quarkus application over an embedded PostgreSQL and Redis of its own. They are JUnit suites rather than
 * loose classes because Surefire hands a fork its classes one at a time when there are several forks, each in a
 * launcher session of its own, and Quarkus stops its application at the end of every session
 * (quarkusio/quarkus#43979): a suite is one session, so one start. The halves are split by package so that each
 * takes about half the time; {@link io.headlesscrm.suites.EverythingElse} takes every package the other does not
 * name, so a new package is never left out. A third JVM was slower on two cores: each builds its own application.
 */
package io.headlesscrm.suites;
