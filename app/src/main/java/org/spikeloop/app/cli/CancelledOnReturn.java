package org.spikeloop.app.cli;

import io.grpc.Context;
import java.util.concurrent.Callable;

/**
 * Runs a client's read of a server stream in a cancellable gRPC context and cancels it on return,
 * so the server ends the stream as soon as the command has read enough (a blocking stub's iterator
 * left unread would otherwise keep the call open until the channel closes).
 */
final class CancelledOnReturn {
    private CancelledOnReturn() {}

    static <T> T call(Callable<T> read) throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            return call.call(read);
        } finally {
            call.cancel(null);
        }
    }
}
