import type { TTransformOutput } from '@tsfx/data';
import { PipelineError } from '@tsfx/shared';
import { layer, type TModelSpec } from './spec';

/** What a template knows about the data: the transform's outputs and the label's class count. */
export type TTemplateContext = { numClasses: number; features: readonly TTransformOutput[] };
export type TModelTemplate = (ctx: TTemplateContext) => TModelSpec;

/** The one image feature (float32 `[height, width, channels]`) a CNN template reads. */
function imageFeature(template: string, features: readonly TTransformOutput[]): TTransformOutput & { shape: [number, number, number] } {
  const images = features.filter((feature) => feature.dtype === 'float32' && feature.shape.length === 3);
  const [image, ...others] = images;
  if (image === undefined || others.length > 0) {
    throw new PipelineError('INVALID_INPUT', `the ${template} template needs exactly one image feature`, {
      expected: 'one float32 transform output of shape [height, width, channels]',
      received: features.map((feature) => `${feature.name} ${feature.dtype} [${feature.shape.join(', ')}]`).join('; ') || 'no features',
    });
  }
  return image as TTransformOutput & { shape: [number, number, number] };
}

/**
 * The talk's rock-paper-scissors CNN (Laurence Moroney's Keras notebook): four 3×3 ReLU
 * convolutions with 64, 64, 128, 128 filters, each followed by 2×2 max pooling, then flatten,
 * dropout 0.5, a 512-unit ReLU layer and a softmax over the classes. On 150×150×3 images the
 * feature maps go 148 → 74 → 72 → 36 → 34 → 17 → 15 → 7 and the model has 3,473,475 parameters
 * for three classes.
 */
export const rpsCnn: TModelTemplate = ({ numClasses, features }) => {
  const image = imageFeature('rps-cnn', features);
  const convBlock = (filters: number) => [
    layer('Conv2D', { filters, kernelSize: 3, activation: 'relu', padding: 'valid' }),
    layer('MaxPooling2D', { poolSize: 2 }),
  ];
  return {
    kind: 'sequential',
    layers: [
      layer('Input', { feature: image.name }),
      ...convBlock(64),
      ...convBlock(64),
      ...convBlock(128),
      ...convBlock(128),
      layer('Flatten', {}),
      layer('Dropout', { rate: 0.5 }),
      layer('Dense', { units: 512, activation: 'relu' }),
      layer('Dense', { units: numClasses, activation: 'softmax' }),
    ],
  };
};

/**
 * A small CNN for Fashion-MNIST-sized images (28×28×1, taken from the image feature): two 3×3
 * ReLU convolutions (32, 64 filters) each with 2×2 max pooling, a 128-unit ReLU layer, dropout
 * 0.3 and a softmax head.
 */
export const fashionMnistCnn: TModelTemplate = ({ numClasses, features }) => {
  const image = imageFeature('fashion-mnist-cnn', features);
  return {
    kind: 'sequential',
    layers: [
      layer('Input', { feature: image.name }),
      layer('Conv2D', { filters: 32, kernelSize: 3, activation: 'relu' }),
      layer('MaxPooling2D', { poolSize: 2 }),
      layer('Conv2D', { filters: 64, kernelSize: 3, activation: 'relu' }),
      layer('MaxPooling2D', { poolSize: 2 }),
      layer('Flatten', {}),
      layer('Dense', { units: 128, activation: 'relu' }),
      layer('Dropout', { rate: 0.3 }),
      layer('Dense', { units: numClasses, activation: 'softmax' }),
    ],
  };
};

/**
 * A DNN over feature columns: every transformed feature through DenseFeatures (embeddings,
 * indicators and numeric columns as the transform declared them), then 64 → 32 ReLU units and a
 * softmax head.
 */
export const tabularDnn: TModelTemplate = ({ numClasses }) => ({
  kind: 'sequential',
  layers: [
    layer('DenseFeatures', {}),
    layer('Dense', { units: 64, activation: 'relu' }),
    layer('Dropout', { rate: 0.1 }),
    layer('Dense', { units: 32, activation: 'relu' }),
    layer('Dense', { units: numClasses, activation: 'softmax' }),
  ],
});

/** Built-in model templates by the name a pipeline's `model` parameter uses. */
export const modelTemplates = {
  'rps-cnn': rpsCnn,
  'fashion-mnist-cnn': fashionMnistCnn,
  'tabular-dnn': tabularDnn,
} as const satisfies Record<string, TModelTemplate>;

export type TModelTemplateName = keyof typeof modelTemplates;
