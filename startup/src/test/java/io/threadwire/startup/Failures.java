package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helper: runs startup code that must fail and returns its exception. */
final class Failures {

  private Failures() {}

  static StartupFailedException startupFailure(ThrowingCallable run) {
    StartupFailedException e = catchThrowableOfType(StartupFailedException.class, run);
    assertThat(e).as("startup should have failed with StartupFailedException").isNotNull();
    return e;
  }
}
