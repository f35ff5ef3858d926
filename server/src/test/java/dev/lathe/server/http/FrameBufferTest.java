package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameBufferTest {
    private static FrameBuffer.Frame frame(long seq, int bytes) { return new FrameBuffer.Frame(seq, new byte[bytes]); }

    @Test
    void isBoundedInBytesNotInFrames() throws Exception {
        var buffer = new FrameBuffer(1000);
        for (int i = 0; i < 10; i++) assertThat(buffer.offer(frame(i, 100), 0)).isTrue();
        assertThat(buffer.offer(frame(10, 1), 50)).as("full: one more byte waits, then gives up").isFalse();
        assertThat(buffer.bytes()).isEqualTo(1000);
        assertThat(buffer.poll(0)).hasValueSatisfying(f -> assertThat(f.seq()).isZero());
        assertThat(buffer.offer(frame(10, 100), 0)).as("room again after a read").isTrue();
    }

    @Test
    void aFrameLargerThanTheBoundPassesAloneSoOneBigEventNeverWedgesAStream() throws Exception {
        var buffer = new FrameBuffer(1000);
        assertThat(buffer.offer(frame(1, 5000), 0)).isTrue();
        assertThat(buffer.offer(frame(2, 10), 20)).isFalse();
        assertThat(buffer.poll(0)).hasValueSatisfying(f -> assertThat(f.bytes()).hasSize(5000));
        assertThat(buffer.offer(frame(2, 10), 0)).isTrue();
    }

    @Test
    void clearReleasesAWaitingProducer() throws Exception {
        var buffer = new FrameBuffer(100);
        buffer.offer(frame(1, 100), 0);
        var result = new boolean[1];
        var producer = Thread.ofVirtual().start(() -> {
            try {
                result[0] = buffer.offer(frame(2, 50), 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(50);
        buffer.clear();
        producer.join(2000);
        assertThat(result[0]).isTrue();
    }
}
