/**
 * The test suite in three parts that Surefire runs side by side, in three JVMs ({@code forkCount} 3 in the pom), each
 * with one Quarkus application over an embedded PostgreSQL and Redis of its own. They are JUnit suites rather than
 * loose classes because Surefire hands a fork its classes one at a time when there are several forks, each in a
 * launcher session of its own, and Quarkus stops its application at the end of every session
 * (quarkusio/quarkus#43979): a suite is one session, so one start. The parts are split by package so that each takes
 * about a third of the time; {@link io.headlesscrm.suites.EverythingElse} takes every package the others do not
 * name, so a new package is never left out. Much of a part's time is waiting (on the service, on real clocks), so
 * three JVMs keep two cores busier than two do. With external servers ({@code CRM_DB_URL}, {@code CRM_REDIS_URL}) the
 * parts would share one database and their workers each other's jobs, so {@link io.headlesscrm.suites.Everything}
 * runs the whole suite in one JVM instead.
 */
package io.headlesscrm.suites;
