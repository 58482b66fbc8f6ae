// Training throughput (img/s, batch 32) of the Fashion-MNIST and rock-paper-scissors CNN templates
// on each tsfx backend (native TensorFlow when installed, wasm), stepping as `fitModel` does
// (CompiledTrainStep: one TensorFlow graph function per step on the native backend), and of the
// same models in PyTorch and Keras in the same run, printed as ratios.
//
//   npx tsx bench/train/throughput.ts [--backends tensorflow,wasm]
import * as tf from '@tensorflow/tfjs-core';
import { CompiledTrainStep, compileModel } from '@tsfx/ml';
import { BATCH, buildBenchModel, imagesPerSecond, measureOnBackends, printComparison, requestedBackends, runPeer, type TBenchModel } from '../support/harness';

async function trainImagesPerSecond(spec: TBenchModel, backend: string): Promise<number> {
  const model = buildBenchModel(spec);
  compileModel(model, { loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.001 }, metrics: ['accuracy'] });
  const x = tf.randomUniform([BATCH, ...spec.shape]);
  const y = tf.tensor2d(Array.from({ length: BATCH }, (_, i) => i % spec.classes), [BATCH, 1]);
  // Two more warm-up steps than before graph functions: the two that trace the step.
  const [warmup, steps] = spec.key === 'fmnist' ? [7, 60] : [4, backend === 'tensorflow' ? 16 : 8];
  const step = new CompiledTrainStep(model);
  const rate = await imagesPerSecond(warmup, steps, () => step.trainOnBatch([x], [y]));
  step.dispose();
  tf.dispose([x, y]);
  model.dispose();
  return rate;
}

const ours = await measureOnBackends(requestedBackends(process.argv), trainImagesPerSecond);
const peers = [runPeer('PyTorch', 'peer_torch.py', 'train', 'torch'), runPeer('Keras', 'peer_keras.py', 'train', 'tensorflow')];
printComparison('img/s', ours, peers);
process.exit(0);
