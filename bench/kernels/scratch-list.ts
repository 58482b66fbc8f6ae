import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
console.log(tf.getKernelsForBackend('wasm').map((k) => k.kernelName).sort().join(' '));
