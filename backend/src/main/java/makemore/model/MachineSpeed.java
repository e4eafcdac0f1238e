package makemore.model;

/**
 * How fast this machine does each kind of {@link Cost.Work}, on one thread (the lab trains each run on one): the
 * constants that turn a config's work into seconds.
 *
 * @param macsPerSecond  multiply-adds per second inside matrix products
 * @param elemsPerSecond elements per second through element-wise kernels
 * @param secondsPerCall fixed cost of one native call (JNI, dispatch, allocation; autograd's taping on average)
 */
public record MachineSpeed(double macsPerSecond, double elemsPerSecond, double secondsPerCall) {

    /**
     * Calibrated 2026-12-06 on the lab's 2-core AMD EPYC VM (libtorch 2.5.1 CPU, MKL with the AMD shim, one thread)
     * by {@code OMP_NUM_THREADS=1 ./lab bench --only speed}, which times each unit alone in thread CPU time (the
     * cores were shared, load ~10: wall time would have measured the neighbours) and then checks the estimate
     * against real runs of the MLP and the transformer at two sizes each: measured within 0.85-1.5x of it
     * (README, "The run-time estimate").
     */
    public static final MachineSpeed THIS_MACHINE = new MachineSpeed(45.5e9, 2.27e9, 2.34e-6);

    public double seconds(Cost.Work w) {
        return w.macs() / macsPerSecond + w.elems() / elemsPerSecond + w.calls() * secondsPerCall;
    }
}
