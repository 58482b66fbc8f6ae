// Inference throughput (img/s, batch 32, reading the probabilities back) of the Fashion-MNIST and
// rock-paper-scissors CNN templates on each tsfx backend, through `predictWithGraph` (what
// evaluation and export run: one TensorFlow graph function on the native backend, model.apply
// elsewhere), against Keras's compiled predict and PyTorch in inference mode in the same run,
// printed as ratios.
//
//   npx tsx bench/serve/inference.ts [--backends tensorflow,wasm]
import * as tf from '@tensorflow/tfjs-core';
import { predictWithGraph } from '@tsfx/ml';
import { BATCH, buildBenchModel, imagesPerSecond, measureOnBackends, printComparison, requestedBackends, runPeer, type TBenchModel } from '../support/harness';

async function predictImagesPerSecond(spec: TBenchModel): Promise<number> {
  const model = buildBenchModel(spec);
  const x = tf.randomUniform([BATCH, ...spec.shape]);
  // The peers' warm-up, plus the two calls that trace the graph function on the native backend.
  const [warmup, steps] = spec.key === 'fmnist' ? [12, 200] : [5, 20];
  const rate = await imagesPerSecond(warmup, steps, async () => {
    const [probabilities] = predictWithGraph(model, [x]);
    await probabilities!.data();
    probabilities!.dispose();
  });
  x.dispose();
  model.dispose();
  return rate;
}

const ours = await measureOnBackends(requestedBackends(process.argv), predictImagesPerSecond);
const peers = [runPeer('PyTorch', 'peer_torch.py', 'predict', 'torch'), runPeer('Keras', 'peer_keras.py', 'predict', 'tensorflow')];
printComparison('img/s', ours, peers);
process.exit(0);
