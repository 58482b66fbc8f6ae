/**
 * The directory layout of Keras' `tf.keras.callbacks.TensorBoard`, so TensorBoard shows our
 * runs the way it shows Keras runs:
 *
 *   <logdir>/train/events.out.tfevents…       epoch_loss, epoch_<metric> per epoch; batch_<metric> per batch if wanted
 *   <logdir>/validation/events.out.tfevents…  epoch_loss, epoch_<metric> on validation data
 *
 * The runs show up as "<run>/train" and "<run>/validation", so the same tag in both is drawn on
 * one chart. Tags are the caller's choice; Keras writes `epoch_loss`, `epoch_accuracy`, and the
 * model config (`graph`) and weight histograms into `train`.
 *
 * HParams go in a writer on `<logdir>` itself (`createSummaryWriter(logdir).hparams(...)`, as
 * `hp.KerasCallback(logdir, …)` does), with metrics named by sub-run:
 * `{ group: 'validation', tag: 'epoch_accuracy' }`. TensorBoard must then be pointed at the
 * directory that holds the run directories: it finds a session's metrics in runs below the
 * session's run, and a logdir's own root run "." has no runs below it.
 */
import { join } from 'node:path';
import { createSummaryWriter, type SummaryWriter, type SummaryWriterOptions } from './summary-writer';

export const KERAS_TRAIN_RUN = 'train';
export const KERAS_VALIDATION_RUN = 'validation';

export type KerasRunWriters = {
  train: SummaryWriter;
  validation: SummaryWriter;
  /** Closes both writers (both are attempted; the first failure is rethrown). */
  close(): Promise<void>;
};

export async function createKerasRunWriters(logdir: string, options: SummaryWriterOptions = {}): Promise<KerasRunWriters> {
  const train = await createSummaryWriter(join(logdir, KERAS_TRAIN_RUN), options);
  let validation: SummaryWriter;
  try {
    validation = await createSummaryWriter(join(logdir, KERAS_VALIDATION_RUN), options);
  } catch (error) {
    await train.close();
    throw error;
  }
  return {
    train,
    validation,
    async close() {
      const results = await Promise.allSettled([train.close(), validation.close()]);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    },
  };
}
