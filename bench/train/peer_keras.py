"""Keras (TensorFlow CPU) peer of bench/train and bench/serve: the same two CNNs, random data,
batch 32; training img/s (`peer_keras.py THREADS train`, the default) or inference img/s
(`peer_keras.py THREADS predict`, predict_on_batch: Keras's compiled predict function).

Prints one JSON line: {"fmnist": img_per_s, "rps": img_per_s, "threads": n, "version": "..."}.
"""
import json
import sys
import time

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
mode = sys.argv[2] if len(sys.argv) > 2 else "train"
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(threads)
tf.config.threading.set_inter_op_parallelism_threads(threads)
layers = tf.keras.layers


def fmnist():
    return tf.keras.Sequential([
        layers.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dropout(0.3), layers.Dense(10, activation="softmax"),
    ]), (28, 28, 1), 10


def rps():
    return tf.keras.Sequential([
        layers.Input((150, 150, 3)),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(128, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(128, 3, activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dropout(0.5), layers.Dense(512, activation="relu"), layers.Dense(3, activation="softmax"),
    ]), (150, 150, 3), 3


def measure(build, warmup, steps):
    model, shape, classes = build()
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    x = tf.random.uniform((32, *shape))
    y = tf.random.uniform((32,), maxval=classes, dtype=tf.int32)
    for i in range(warmup + steps):
        if i == warmup:
            start = time.perf_counter()
        model.train_on_batch(x, y)
    return 32 * steps / (time.perf_counter() - start)


def measure_predict(build, warmup, steps):
    model, shape, _ = build()
    x = tf.random.uniform((32, *shape))
    for i in range(warmup + steps):
        if i == warmup:
            start = time.perf_counter()
        model.predict_on_batch(x)
    return 32 * steps / (time.perf_counter() - start)


if mode == "predict":
    result = {"fmnist": measure_predict(fmnist, 10, 200), "rps": measure_predict(rps, 3, 20)}
else:
    result = {"fmnist": measure(fmnist, 5, 60), "rps": measure(rps, 2, 8)}
print(json.dumps({**result, "threads": threads, "version": tf.__version__}))
