# The makemore.py side of `./lab bench --transformer`: imports makemore.py (unchanged, path given) as a module,
# builds its Transformer, ModelConfig, AdamW and training data exactly as its __main__ does, and times the same
# loop the lab's side times (makemore/bench/TransformerLoop.java): the batch is drawn from makemore.py's own
# loader before the clock starts; the clock covers forward, zero_grad, backward, AdamW's step and, every 10th step,
# the loss read-back (makemore.py reads loss.item() every 10th step to log it). Prints BENCHINFO and RESULT lines.
# Usage: python3 makemore_loop.py MAKEMORE_PY NAMES_TXT WARM STEPS SEED THREADS
import importlib.util, json, os, re, sys, time, types

t_start = time.monotonic()


class _Writer:  # Debian has no tensorboard: makemore.py only imports SummaryWriter at module level
    def __init__(self, *a, **k): pass
    def __getattr__(self, name): return lambda *a, **k: None


tb = types.ModuleType('torch.utils.tensorboard')
tb.SummaryWriter = _Writer
sys.modules['torch.utils.tensorboard'] = tb

import torch

path, data, warm, steps, seed, threads = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
torch.set_num_threads(threads)
spec = importlib.util.spec_from_file_location('makemore', path)
mm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mm)

# as makemore.py's __main__, with its defaults (n_layer 4, n_head 4, n_embd 64, batch 32, AdamW 5e-4, wd 0.01)
torch.manual_seed(seed)
train_dataset, test_dataset = mm.create_datasets(data)
config = mm.ModelConfig(vocab_size=train_dataset.get_vocab_size(), block_size=train_dataset.get_output_length(),
                        n_layer=4, n_head=4, n_embd=64, n_embd2=64)
model = mm.Transformer(config)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.01, betas=(0.9, 0.99), eps=1e-8)
# num_workers 0: the batch is drawn in this process, off the clock; pin_memory only matters for a GPU
loader = mm.InfiniteDataLoader(train_dataset, batch_size=32, pin_memory=False, num_workers=0)

libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if ('blas' in l.lower() or 'mkl' in l.lower()) and 'mkl-amd' not in l and '/' in l})
config_lines = re.findall(r'(?:BLAS_INFO|LAPACK_INFO|USE_MKL|USE_OPENMP)=\w+', torch.__config__.show())
print('BENCHINFO ' + json.dumps({'torch': torch.__version__, 'python': sys.version.split()[0],
                                 'threads': torch.get_num_threads(),
                                 'blas': [os.path.realpath(l) for l in libs], 'torchConfig': config_lines,
                                 'ldPreload': os.environ.get('LD_PRELOAD', '')}), flush=True)

ms = []
loss_sum = 0.0
timed = 0.0
for step in range(warm + steps):
    X, Y = loader.next()  # makemore.py's loader, outside the clock as the lab's batch draw is
    t0 = time.perf_counter()
    logits, loss = model(X, Y)
    model.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if step % 10 == 0:
        loss_sum += loss.item()
    dt = time.perf_counter() - t0
    if step >= warm:
        ms.append(dt * 1000)
        timed += dt
print('RESULT ' + json.dumps({'stepMs': ms, 'stepsPerSec': steps / timed, 'lastLoss': loss.item(),
                              'setupAndLoopSec': time.monotonic() - t_start}), flush=True)
