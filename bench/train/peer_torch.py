"""PyTorch peer of bench/train and bench/serve: the same two CNNs, random data, batch 32; training
img/s (`peer_torch.py THREADS train`, the default) or inference img/s (`THREADS predict`).

Prints one JSON line: {"fmnist": img_per_s, "rps": img_per_s, "threads": n, "version": "..."}.
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
mode = sys.argv[2] if len(sys.argv) > 2 else "train"


def fmnist():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10),
    ), (1, 28, 28), 10


def rps():
    return nn.Sequential(
        nn.Conv2d(3, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(128, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(128 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, 3),
    ), (3, 150, 150), 3


def measure(build, warmup, steps):
    model, shape, classes = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(32, *shape)
    y = torch.randint(0, classes, (32,))
    for i in range(warmup + steps):
        if i == warmup:
            start = time.perf_counter()
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    return 32 * steps / (time.perf_counter() - start)


def measure_predict(build, warmup, steps):
    model, shape, _ = build()
    model.eval()
    x = torch.rand(32, *shape)
    with torch.inference_mode():
        for i in range(warmup + steps):
            if i == warmup:
                start = time.perf_counter()
            torch.softmax(model(x), dim=1)
    return 32 * steps / (time.perf_counter() - start)


if mode == "predict":
    result = {"fmnist": measure_predict(fmnist, 10, 200), "rps": measure_predict(rps, 3, 20)}
else:
    result = {"fmnist": measure(fmnist, 5, 60), "rps": measure(rps, 2, 8)}
print(json.dumps({**result, "threads": torch.get_num_threads(), "version": torch.__version__}))
