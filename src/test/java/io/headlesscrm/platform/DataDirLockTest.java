package io.headlesscrm.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileLock;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @Test
    void aSecondOwnerOfTheSameDirectoryIsRefusedUntilTheFirstLetsGo(@TempDir Path dir) throws Exception {
        FileLock first = DataDirLock.acquire(dir);
        assertThatThrownBy(() -> DataDirLock.acquire(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another running Headless CRM");
        first.release();
        first.channel().close();
        FileLock again = DataDirLock.acquire(dir);
        assertThat(again.isValid()).isTrue();
        again.release();
        again.channel().close();
    }
}
