import * as tf from '@tensorflow/tfjs-core';
import * as wasmPkg from '@tensorflow/tfjs-backend-wasm';
import { registerWasmBackend } from '../../libs/ml/src/backend/wasm-backend.ts';
registerWasmBackend({ threads: 2 });
await tf.setBackend('wasm');
const be = tf.backend() as unknown as { wasm: Record<string, any> };
console.log('PThread' in be.wasm, be.wasm.tfjs.getThreadsCount(), wasmPkg.getThreadsCount());
console.log(Object.keys(be.wasm.PThread ?? {}), be.wasm.PThread?.unusedWorkers?.length, be.wasm.PThread?.runningWorkers?.length);
console.log(tf.engine().backendName, Object.keys(tf.engine().registry));
