// Inference throughput (img/s, batch 32, model.predict and reading the probabilities back) of
// the Fashion-MNIST and rock-paper-scissors CNN templates on each tsfx backend, against Keras's
// compiled predict and PyTorch in inference mode in the same run, printed as ratios.
//
//   npx tsx bench/serve/inference.ts [--backends tensorflow,wasm]
import * as tf from '@tensorflow/tfjs-core';
import { BATCH, buildBenchModel, measureOnBackends, printComparison, requestedBackends, runPeer, type TBenchModel } from '../support/harness';

async function predictImagesPerSecond(spec: TBenchModel): Promise<number> {
  const model = buildBenchModel(spec);
  const x = tf.randomUniform([BATCH, ...spec.shape]);
  const [warmup, steps] = spec.key === 'fmnist' ? [10, 200] : [3, 20];
  let start = 0;
  for (let i = 0; i < warmup + steps; i++) {
    if (i === warmup) start = performance.now();
    const probabilities = model.predict(x) as tf.Tensor;
    await probabilities.data();
    probabilities.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  x.dispose();
  model.dispose();
  return (BATCH * steps) / seconds;
}

const ours = await measureOnBackends(requestedBackends(process.argv), predictImagesPerSecond);
const peers = [runPeer('PyTorch', 'peer_torch.py', 'predict', 'torch'), runPeer('Keras', 'peer_keras.py', 'predict', 'tensorflow')];
printComparison('img/s', ours, peers);
process.exit(0);
