package org.spikeloop.learn.eprop;

/** The loss whose output error err_k drives e-prop (Bellec et al. 2020, Methods eqs. (26)–(27)). */
public enum ReadoutLoss {
    /** Regression: E = ½·Σ_t Σ_k (y_t,k − y*_t,k)², err = y − y*. */
    MSE,
    /**
     * Classification: π_t = softmax(y_t), E = −Σ_t Σ_k π*_t,k·log π_t,k, err = π − π* (target
     * one-hot or a distribution).
     */
    SOFTMAX_CROSS_ENTROPY
}
