import { PipelineError } from '@tsfx/shared';

/** Keras's default layer name for a class: `Conv2D` → `conv2d`, `MaxPooling2D` → `max_pooling2d`. */
export function defaultLayerName(className: string): string {
  return className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A feature name made into a valid TF.js layer/tensor name (`[A-Za-z0-9][A-Za-z0-9._/-]*`):
 * CSV headers such as `Beak Length (mm)` become `Beak_Length__mm_`. The model's `inputNames`
 * keep the feature names; only the layers are renamed.
 */
export function toTensorName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._/-]/g, '_');
  return /^[A-Za-z0-9]/.test(safe) ? safe : `f${safe}`;
}

/**
 * The layer names of one model: names the spec gives are reserved up front, so a generated name
 * (`dense`, `dense_1`, … as Keras numbers them) never takes one, and two layers claiming the
 * same name is an error that names it, instead of tfjs's generic duplicate-name error.
 */
export class LayerNames {
  private readonly used = new Set<string>();
  private readonly reserved: ReadonlySet<string>;

  constructor(reserved: Iterable<string>) {
    this.reserved = new Set(reserved);
  }

  /** Takes `name` as given; `what` says who wants it, for the error. */
  claim(name: string, what: string): string {
    if (this.used.has(name)) {
      throw new PipelineError('INVALID_INPUT', `${what} is named '${name}', a name another layer or model input already has`, {
        expected: 'layer names that differ from each other and from the transformed feature names',
        received: name,
      });
    }
    this.used.add(name);
    return name;
  }

  /** `base`, or `base_1`, `base_2`, … : the first one free. */
  fresh(base: string): string {
    for (let index = 0; ; index++) {
      const name = index === 0 ? base : `${base}_${index}`;
      if (!this.used.has(name) && !this.reserved.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
}
