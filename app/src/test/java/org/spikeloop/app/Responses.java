package org.spikeloop.app;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Collects a streaming call's messages and its final status. */
final class Responses<T> implements StreamObserver<T> {
    final List<T> messages = new CopyOnWriteArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);
    volatile Status status;

    @Override
    public void onNext(T value) {
        messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
        status = Status.fromThrowable(t);
        done.countDown();
    }

    @Override
    public void onCompleted() {
        status = Status.OK;
        done.countDown();
    }

    Status await() throws InterruptedException {
        if (!done.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("call did not finish in 10 s");
        }
        return status;
    }

    /** Waits until at least n messages arrived. */
    void awaitMessages(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (messages.size() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError(
                        "got " + messages.size() + " of " + n + " messages in 10 s");
            }
            Thread.sleep(5);
        }
    }
}
