// Public surface of @tsfx/ml: TF.js backends and kernels, model building, TensorBoard logs, evaluation.
export {};
