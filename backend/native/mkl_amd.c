/*
 * libtorch's CPU build links Intel MKL, which picks slow generic kernels (and scalar tanh) on non-Intel CPUs.
 * MKL asks this one function whether the CPU is Intel; answering yes lets it choose its AVX2 kernels, which the
 * AMD CPUs of our machines support (MKL still checks the actual instruction-set flags). ./lab preloads this on
 * AMD CPUs when a C compiler is present; MAKEMORE_MKL_AMD=0 turns it off. Measured: ~1.3-1.5x MLP steps/s.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
