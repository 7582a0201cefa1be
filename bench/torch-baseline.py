"""PyTorch CPU baseline for `npm run bench` (bench/training.ts).

The same models as the bench's .nn sources, trained the same way (Adam, lr 0.001, softmax
cross-entropy, random data of the same shapes), one thread. Reads requests from stdin, one per
line: `MODEL BATCH STEPS` (MODEL: mlp, cnn or embedding), and answers each with one JSON line
`{"samples_per_second": ..., "cpu_seconds": ...}`, so that the bench can interleave its tfjs runs
with these in one session. Timed in CPU time of this process, as the bench times tfjs.

Run with Debian's interpreter (/usr/bin/python3), which has torch. Debian's torch multiplies
through whatever libblas.so.3 the system's alternatives point at: the reference BLAS of libblas3
(about 4 GFLOP/s) unless an optimized one such as libopenblas0-pthread is installed. The ready
line names the one loaded, so that the bench can say what its PyTorch numbers stand for.
"""
import json
import os
import sys
import time

# torch.set_num_threads does not reach a BLAS that torch was not built against (BLAS_INFO=generic).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(1)


def mlp():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return model, lambda batch: torch.randn(batch, 784), 10


def cnn():
    # Channels first here; the bench's model is channels last, which changes no arithmetic.
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    return model, lambda batch: torch.randn(batch, 1, 28, 28), 10


VOCAB, LENGTH, DIM = 10000, 32, 64


def embedding():
    model = nn.Sequential(nn.Embedding(VOCAB, DIM), nn.Flatten(), nn.Linear(LENGTH * DIM, 64), nn.ReLU(), nn.Linear(64, 2))
    return model, lambda batch: torch.randint(0, VOCAB, (batch, LENGTH)), 2


MODELS = {"mlp": mlp, "cnn": cnn, "embedding": embedding}
built = {}


def run(name, batch, steps):
    if name not in built:
        model, inputs, classes = MODELS[name]()
        built[name] = (model, inputs, classes, torch.optim.Adam(model.parameters(), lr=0.001))
    model, inputs, classes, optimizer = built[name]
    loss_fn = nn.CrossEntropyLoss()
    batches = [(inputs(batch), torch.randint(0, classes, (batch,))) for _ in range(min(steps, 8))]
    start = time.process_time()
    for step in range(steps):
        x, y = batches[step % len(batches)]
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()
    seconds = time.process_time() - start
    return {"samples_per_second": batch * steps / seconds, "cpu_seconds": seconds}


def blas():
    """The BLAS library this process multiplies with, from its memory map after a matmul."""
    torch.randn(8, 8) @ torch.randn(8, 8)
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()})
    for key, name in (("openblas", "OpenBLAS"), ("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS")):
        if any(key in path.lower() for path in paths):
            return name
    if any("/blas/libblas.so" in path for path in paths):
        return "reference BLAS"
    return os.path.basename(paths[0]) if paths else "unknown BLAS"


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas()}), flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        name, batch, steps = parts[0], int(parts[1]), int(parts[2])
        print(json.dumps(run(name, batch, steps)), flush=True)


if __name__ == "__main__":
    main()
