package io.headlesscrm.suites;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** The test classes named A… to F…: one of the two halves that run side by side (see {@link TestsGToZ}). */
@Suite
@SelectPackages("io.headlesscrm")
@IncludeClassNamePatterns(".*\\.[A-F][^.]*Test")
public class TestsAToF {
}
